package dev.teec.enclave.git;

import java.io.IOException;

/** A commit or tree object that is not in git's canonical format; the message says where. */
public final class GitFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the object and the offending entry or line
   */
  public GitFormatException(String message) {
    super(message);
  }
}
