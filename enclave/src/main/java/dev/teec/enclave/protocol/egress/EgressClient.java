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
import java.util.Objects;

/**
 * The enclave's side of the egress channel: one forwarder connection per upstream connection. The
 * returned connection carries raw bytes to and from the upstream host; the caller runs TLS over it
 * (see {@link dev.teec.enclave.protocol.transport.ConnectionSocket}) so the host relays only
 * ciphertext.
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

  /** One-off form of {@link #connect}. */
  public static Connection open(Transport forwarder, String host, int port) throws IOException {
    return new EgressClient(forwarder).connect(host, port);
  }

  /**
   * Asks the forwarder for {@code host:port} and returns the relayed connection once it has
   * connected upstream.
   *
   * @param host a lower-case DNS name or IPv4 address ({@link EgressOpen#isValidHost})
   * @throws IllegalArgumentException for an invalid host or port
   * @throws RemoteErrorException if the forwarder refused: {@link ErrorCode#DENIED} (not on the
   *     allowlist), {@link ErrorCode#UPSTREAM_UNREACHABLE}, {@link ErrorCode#BUSY}, ...
   * @throws ProtocolException if the forwarder broke the protocol or vanished
   * @throws IOException if the forwarder cannot be reached
   */
  @Override
  public Connection connect(String host, int port) throws IOException {
    EgressOpen request = EgressOpen.of(host, port);
    Connection connection = forwarder.connect();
    try {
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
        return connection;
      }
      throw new ProtocolException(
          ErrorCode.UNEXPECTED_FRAME,
          "forwarder answered egress_open with " + reply.frameType().wireName());
    } catch (IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }
}
