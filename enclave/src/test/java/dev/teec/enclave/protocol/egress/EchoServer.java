package dev.teec.enclave.protocol.egress;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;

/** Echoes every connection's bytes back until end of stream, then closes it. Loopback only. */
final class EchoServer implements Closeable {

  private final ServerSocket server;

  EchoServer() throws IOException {
    this(ServerSocketFactory.getDefault());
  }

  EchoServer(ServerSocketFactory factory) throws IOException {
    server = factory.createServerSocket(0, 16, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    Thread acceptor = new Thread(this::acceptLoop, "echo-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread echo = new Thread(() -> echo(socket), "echo");
        echo.setDaemon(true);
        echo.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void echo(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The test closed the connection; nothing to echo any more.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
