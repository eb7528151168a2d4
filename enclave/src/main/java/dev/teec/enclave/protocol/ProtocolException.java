package dev.teec.enclave.protocol;

import java.io.IOException;
import java.util.Objects;

/**
 * A violation of the wire protocol, or the end of a session for a protocol reason, with a stable
 * {@link ErrorCode}. Malformed input of any kind (bytes, CBOR, fields, order, sizes, digests) is
 * reported as this exception and never as anything else.
 *
 * <p>Subclasses mark the two conditions a caller usually handles differently: {@link
 * PeerGoneException} (nobody is listening any more) and {@link RemoteErrorException} (the peer
 * reported the error itself).
 */
public class ProtocolException extends IOException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** An exception with this code and a message that says what was wrong and where. */
  public ProtocolException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** As {@link #ProtocolException(ErrorCode, String)}, keeping the underlying cause. */
  public ProtocolException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The stable error code. */
  public ErrorCode code() {
    return code;
  }

  /** {@code "<wire code>: <message>"}. */
  @Override
  public String toString() {
    return code.wireName() + ": " + getMessage();
  }
}
