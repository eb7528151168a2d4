package dev.teec.builder.source;

import java.io.IOException;

/** The project's source cannot be selected or packed as asked: the message says what and where. */
public final class SourceException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the file or directory
   */
  public SourceException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong, naming the file or directory
   * @param cause the underlying failure
   */
  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
