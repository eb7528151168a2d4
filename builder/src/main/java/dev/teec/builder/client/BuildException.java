package dev.teec.builder.client;

import java.util.Objects;
import java.util.OptionalInt;

/** A build that ended without a bundle; nothing was written to the output path. */
public final class BuildException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureCode code;
  private final Integer exitCode;

  /**
   * @param code why
   * @param message what happened, for people
   */
  public BuildException(FailureCode code, String message) {
    this(code, message, (Integer) null);
  }

  /**
   * @param code why
   * @param message what happened, for people
   * @param exitCode the build command's exit status, for {@link FailureCode#BUILD_FAILED}; null
   *     when it did not exit by itself
   */
  public BuildException(FailureCode code, String message, Integer exitCode) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
    this.exitCode = exitCode;
  }

  /**
   * @param code why
   * @param message what happened, for people
   * @param cause the underlying failure
   */
  public BuildException(FailureCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.exitCode = null;
  }

  /** Why the build produced no bundle. */
  public FailureCode code() {
    return code;
  }

  /** The build command's exit status when the build failed by exiting non-zero. */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }
}
