package dev.teec.enclave.protocol;

/**
 * The worker's last frame of a build that ran (a build that could not run ends with an {@link
 * ErrorFrame} instead). A successful result always follows a complete bundle.
 *
 * @param success whether the build succeeded and the bundle attests its outputs
 * @param exitCode the build command's exit status (0..255), or null when it did not exit by itself
 *     (timeout, killed); must be 0 when {@code success}
 * @param message a one-line summary for people, e.g. "build timed out after 600 s"; at most 4096
 *     UTF-8 bytes, may be empty
 */
public record Result(boolean success, Integer exitCode, String message) implements Frame {

  /** Checks the limits. */
  public Result {
    if (exitCode != null) {
      FieldCheck.range(exitCode, 0, 255, "result.exit_code");
    }
    if (success && (exitCode == null || exitCode != 0)) {
      throw new FrameValidationException(
          ErrorCode.INVALID_VALUE,
          "result.success is true but result.exit_code is " + exitCode + ", not 0");
    }
    FieldCheck.text(message, Protocol.MAX_MESSAGE_BYTES, "result.message");
  }

  @Override
  public FrameType frameType() {
    return FrameType.RESULT;
  }
}
