package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A {@link Connection} over a connected TCP socket. */
final class SocketConnection extends AbstractConnection {

  private final Socket socket;
  private final InputStream input;
  private final OutputStream output;

  SocketConnection(Socket socket) throws IOException {
    super("tcp:" + socket.getInetAddress().getHostAddress() + ":" + socket.getPort());
    this.socket = socket;
    // Frames are written whole and flushed; without this, small frames (log lines) would wait
    // for Nagle's algorithm.
    socket.setTcpNoDelay(true);
    this.input = socket.getInputStream();
    this.output = socket.getOutputStream();
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
