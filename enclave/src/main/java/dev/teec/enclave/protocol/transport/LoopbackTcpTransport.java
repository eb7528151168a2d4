package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;

/**
 * TCP on 127.0.0.1 only, for local mode: it never listens on or connects to another address, so a
 * worker started this way is not reachable from the network.
 */
public final class LoopbackTcpTransport implements Transport {

  private static final int BACKLOG = 16;

  private final int port;

  /**
   * @param port 0..65535; 0 asks {@link #listen()} for a free port (see {@link
   *     Acceptor#endpoint()}) and cannot be connected to
   */
  public LoopbackTcpTransport(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    this.port = port;
  }

  /** The port. */
  public int port() {
    return port;
  }

  @Override
  public Connection connect() throws IOException {
    if (port == 0) {
      throw new IllegalStateException("cannot connect to port 0; use the acceptor's endpoint()");
    }
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(loopback(), port));
      return new SocketConnection(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  @Override
  public Acceptor listen() throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.bind(new InetSocketAddress(loopback(), port), BACKLOG);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + this + ": " + e.getMessage(), e);
    }
    LoopbackTcpTransport endpoint = new LoopbackTcpTransport(server.getLocalPort());
    return new Acceptor() {
      @Override
      public Connection accept() throws IOException {
        Socket socket = server.accept();
        try {
          return new SocketConnection(socket);
        } catch (IOException | RuntimeException e) {
          socket.close();
          throw e;
        }
      }

      @Override
      public Transport endpoint() {
        return endpoint;
      }

      @Override
      public void close() throws IOException {
        server.close();
      }
    };
  }

  private static InetAddress loopback() throws UnknownHostException {
    // Literal 127.0.0.1: InetAddress.getLoopbackAddress() may be ::1, which is not what the
    // documentation and firewall rules say.
    return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LoopbackTcpTransport t && t.port == port;
  }

  @Override
  public int hashCode() {
    return port;
  }

  @Override
  public String toString() {
    return "tcp:127.0.0.1:" + port;
  }
}
