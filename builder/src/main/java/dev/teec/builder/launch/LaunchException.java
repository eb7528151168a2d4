package dev.teec.builder.launch;

import java.io.IOException;

/** The worker or enclave could not be started (or reached); nothing of it is left running. */
public final class LaunchException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, with the tool's own error where there is one
   */
  public LaunchException(String message) {
    super(message);
  }

  /**
   * @param message what failed
   * @param cause the underlying failure
   */
  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
