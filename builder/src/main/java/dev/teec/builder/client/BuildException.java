package dev.teec.builder.client;

import java.util.Objects;

/** A build that ended without a bundle; nothing was written to the output path. */
public final class BuildException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureCode code;

  /**
   * @param code why
   * @param message what happened, for people
   */
  public BuildException(FailureCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * @param code why
   * @param message what happened, for people
   * @param cause the underlying failure
   */
  public BuildException(FailureCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Why the build produced no bundle. */
  public FailureCode code() {
    return code;
  }
}
