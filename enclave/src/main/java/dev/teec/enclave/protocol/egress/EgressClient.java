package dev.teec.enclave.protocol.egress;

import dev.teec.enclave.protocol.EgressOk;
import dev.teec.enclave.protocol.EgressOpen;
import dev.teec.enclave.protocol.ErrorCode;
import dev.teec.enclave.protocol.ErrorFrame;
import dev.teec.enclave.protocol.Frame;
import dev.teec.enclave.protocol.FrameCodec;
import dev.teec.enclave.protocol.PeerGoneException;
import dev.teec.enclave.protocol.ProtocolException;
import dev.teec.enclave.protocol.RemoteErrorException;
import dev.teec.enclave.protocol.transport.Connection;
import dev.teec.enclave.protocol.transport.Transport;
import dev.teec.enclave.protocol.transport.VsockTransport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * The enclave's side of the egress channel: one forwarder connection per upstream connection. The
 * returned connection carries raw bytes to and from the upstream host; the caller runs TLS over it
 * so the host relays only ciphertext.
 *
 * <p>Timeouts: the forwarder's answer to {@code egress_open} (which it sends once it has connected
 * upstream) must arrive within the connect timeout; afterwards each read on the relayed connection
 * waits at most the read timeout. Both are enforced on the enclave's side, whatever the transport
 * ({@link Connection#withReadTimeout}), so a silent host or upstream cannot stall the build.
 */
public final class EgressClient implements UpstreamConnector {

  /**
   * Frame limit on the egress channel: room for the largest egress frame, an error with a 4096-byte
   * message; nothing bigger is ever read before the relay starts.
   */
  public static final int MAX_FRAME_BYTES = 8192;

  private final Transport forwarder;
  private final FrameCodec codec = new FrameCodec(MAX_FRAME_BYTES);

  /** The forwarder's vsock port on the parent instance unless configured otherwise. */
  public static final long DEFAULT_VSOCK_PORT = 8001;

  /**
   * @param forwarder where the forwarder listens; in Nitro see {@link #nitroParent(long)}
   */
  public EgressClient(Transport forwarder) {
    this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
  }

  /**
   * A client for a forwarder on the Nitro parent instance (vsock CID {@value
   * VsockTransport#CID_NITRO_PARENT}) at {@code port}, normally {@link #DEFAULT_VSOCK_PORT}.
   */
  public static EgressClient nitroParent(long port) {
    return new EgressClient(new VsockTransport(VsockTransport.CID_NITRO_PARENT, port));
  }

  /**
   * Asks the forwarder for {@code host:port} and returns the relayed connection once it has
   * connected upstream.
   *
   * @param host a lower-case DNS name or IPv4 address ({@link EgressOpen#isValidHost})
   * @throws IllegalArgumentException for an invalid host, port or timeout
   * @throws SocketTimeoutException if the forwarder did not answer within {@code connectTimeout}
   * @throws RemoteErrorException if the forwarder refused: {@link ErrorCode#DENIED} (not on the
   *     allowlist), {@link ErrorCode#UPSTREAM_UNREACHABLE}, {@link ErrorCode#BUSY}, ...
   * @throws ProtocolException if the forwarder broke the protocol or vanished
   * @throws IOException if the forwarder cannot be reached
   */
  @Override
  public Connection connect(String host, int port, Duration connectTimeout, Duration readTimeout)
      throws IOException {
    EgressOpen request = EgressOpen.of(host, port);
    Connection raw = forwarder.connect();
    try {
      Connection connection = Connection.withReadTimeout(raw, connectTimeout);
      // A forwarder at capacity answers and closes without reading the request, so the write
      // can fail with its answer already waiting: read it before reporting the broken pipe.
      PeerGoneException writeFailure = null;
      try {
        codec.write(connection.output(), request);
      } catch (PeerGoneException e) {
        writeFailure = e;
      }
      Frame reply;
      try {
        reply = codec.read(connection.input());
      } catch (ProtocolException e) {
        if (e.getCause() instanceof SocketTimeoutException) {
          SocketTimeoutException timeout =
              new SocketTimeoutException(
                  "the egress forwarder did not connect to "
                      + host
                      + ":"
                      + port
                      + " within "
                      + connectTimeout);
          timeout.initCause(e);
          throw timeout;
        }
        if (writeFailure != null) {
          writeFailure.addSuppressed(e);
          throw writeFailure;
        }
        throw e;
      }
      if (reply instanceof ErrorFrame error) {
        throw new RemoteErrorException(error);
      }
      if (writeFailure != null) {
        throw writeFailure;
      }
      if (reply instanceof EgressOk) {
        return Connection.withReadTimeout(raw, readTimeout);
      }
      throw new ProtocolException(
          ErrorCode.UNEXPECTED_FRAME,
          "forwarder answered egress_open with " + reply.frameType().wireName());
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }
}
