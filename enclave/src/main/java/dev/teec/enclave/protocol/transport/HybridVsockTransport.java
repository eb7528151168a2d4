package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The host's side of a guest's vsock port through a "hybrid vsock" Unix socket, as vhost-user vsock
 * backends (vhost-device-vsock's {@code --uds-path}) and Firecracker expose it.
 *
 * <p>{@link #connect()} reaches the guest's port: it connects to the backend's socket, sends {@code
 * CONNECT <port>\n}, and expects {@code OK <local port>\n} before the stream becomes the guest's.
 * {@link #listen()} waits for the guest: a guest connecting to the host's CID at {@code port}
 * reaches a Unix listener at {@code <socket>_<port>}.
 */
public final class HybridVsockTransport implements Transport {

  /** The longest reply line accepted; the backend's is {@code "OK "} and a decimal u32. */
  private static final int MAX_REPLY = 32;

  private final Path socket;
  private final long port;

  /**
   * @param socket the backend's Unix socket (its {@code --uds-path})
   * @param port the guest's vsock port, 0..2^32-1
   */
  public HybridVsockTransport(Path socket, long port) {
    this.socket = Objects.requireNonNull(socket, "socket").toAbsolutePath();
    if (port < 0 || port > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("vsock port must be in 0..4294967295, got " + port);
    }
    this.port = port;
  }

  /** The backend's socket. */
  public Path socket() {
    return socket;
  }

  /** The guest port. */
  public long port() {
    return port;
  }

  @Override
  public Connection connect() throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer request =
          ByteBuffer.wrap(("CONNECT " + port + "\n").getBytes(StandardCharsets.US_ASCII));
      while (request.hasRemaining()) {
        channel.write(request);
      }
      checkReply(readLine(channel));
      return new ChannelConnection(channel, toString());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw new IOException("cannot connect to " + this + ": " + e.getMessage(), e);
    }
  }

  /**
   * Listens where the backend forwards the guest's connections to the host at {@link #port()}: the
   * Unix socket {@code <socket>_<port>}.
   */
  @Override
  public Acceptor listen() throws IOException {
    return new UnixSocketTransport(Path.of(socket + "_" + port)).listen();
  }

  /** Reads one reply line byte by byte, so that nothing after it is consumed. */
  private static String readLine(SocketChannel channel) throws IOException {
    StringBuilder line = new StringBuilder();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (true) {
      one.clear();
      if (channel.read(one) < 0) {
        throw new IOException(
            "the backend closed the connection"
                + (line.length() == 0
                    ? " without a reply (is anything listening on that port?)"
                    : " after \"" + line + "\""));
      }
      char c = (char) (one.get(0) & 0xff);
      if (c == '\n') {
        return line.toString();
      }
      if (line.length() >= MAX_REPLY) {
        throw new IOException("the backend's reply is longer than " + MAX_REPLY + " bytes");
      }
      line.append(c);
    }
  }

  static void checkReply(String line) throws IOException {
    if (!line.matches("OK [0-9]{1,10}")) {
      throw new IOException("the backend replied \"" + line + "\" instead of \"OK <port>\"");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HybridVsockTransport t && t.socket.equals(socket) && t.port == port;
  }

  @Override
  public int hashCode() {
    return Objects.hash(socket, port);
  }

  @Override
  public String toString() {
    return "hybrid-vsock:" + socket + ":" + port;
  }
}
