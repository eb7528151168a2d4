package dev.teec.enclave.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Connects directly over TCP, resolving names with the JVM's resolver: the local-mode {@link
 * UpstreamConnector}. Stateless and thread-safe.
 */
public final class TcpUpstreamConnector implements UpstreamConnector {

  @Override
  public UpstreamConnection connect(
      String host, int port, Duration connectTimeout, Duration readTimeout) throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IOException("cannot resolve upstream host " + host);
    }
    Socket socket = new Socket();
    try {
      socket.connect(address, Math.toIntExact(connectTimeout.toMillis()));
      socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
      socket.setTcpNoDelay(true);
      return new SocketConnection(socket, socket.getInputStream(), socket.getOutputStream());
    } catch (IOException e) {
      socket.close();
      throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private record SocketConnection(Socket socket, InputStream input, OutputStream output)
      implements UpstreamConnection {

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
