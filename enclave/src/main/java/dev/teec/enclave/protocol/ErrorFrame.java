package dev.teec.enclave.protocol;

/**
 * The sender gives up on the session (or refuses an egress request) and closes the connection.
 *
 * @param code why, any code but {@link ErrorCode#PEER_GONE}
 * @param message what was wrong and where, for people; at most 4096 UTF-8 bytes
 */
public record ErrorFrame(ErrorCode code, String message) implements Frame {

  /** Checks the limits. */
  public ErrorFrame {
    FieldCheck.present(code, "error.code");
    if (code == ErrorCode.PEER_GONE) {
      throw new FrameValidationException(
          ErrorCode.INVALID_VALUE, "error.code peer_gone is local only and never sent");
    }
    FieldCheck.text(message, Protocol.MAX_MESSAGE_BYTES, "error.message");
  }

  /** An error frame from arbitrary text, cut to the limit like {@link LogLine#fitting}. */
  public static ErrorFrame fitting(ErrorCode code, String message) {
    return new ErrorFrame(code, FieldCheck.fitUtf8(message, Protocol.MAX_MESSAGE_BYTES));
  }

  @Override
  public FrameType frameType() {
    return FrameType.ERROR;
  }
}
