package dev.teec.enclave.protocol;

/**
 * The peer sent an {@code error} frame: it gave up on the session and will close the connection.
 * The code and message are the peer's, so nothing is sent back.
 */
public final class RemoteErrorException extends ProtocolException {

  private static final long serialVersionUID = 1L;

  private final ErrorFrame frame;

  /** Wraps the error frame the peer sent. */
  public RemoteErrorException(ErrorFrame frame) {
    super(frame.code(), "peer reported " + frame.code().wireName() + ": " + frame.message());
    this.frame = frame;
  }

  /** The frame as received. */
  public ErrorFrame frame() {
    return frame;
  }
}
