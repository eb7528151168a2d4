package dev.teec.enclave.protocol;

/**
 * The peer is gone: the connection reached end of stream, was reset, or failed while reading or
 * writing. Its code is always {@link ErrorCode#PEER_GONE}. A worker that sees this while a build
 * runs must stop the build: nobody will collect its result.
 */
public final class PeerGoneException extends ProtocolException {

  private static final long serialVersionUID = 1L;

  private final boolean midFrame;

  /**
   * @param message what happened, e.g. "connection closed after 2 of 4 length bytes"
   * @param midFrame whether the stream ended or failed inside a frame (a truncated frame) rather
   *     than between two frames
   * @param cause the I/O failure, or null for a plain end of stream
   */
  public PeerGoneException(String message, boolean midFrame, Throwable cause) {
    super(ErrorCode.PEER_GONE, message, cause);
    this.midFrame = midFrame;
  }

  /** Whether the stream ended inside a frame (the last frame is truncated). */
  public boolean midFrame() {
    return midFrame;
  }
}
