package dev.teec.enclave.protocol.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;

/**
 * One established, bidirectional byte stream. One thread may read while others write: the input and
 * output streams are independent. Streams are unbuffered, so a reader never consumes bytes beyond
 * what it asked for.
 */
public interface Connection extends Closeable {

  /**
   * A connection over an already connected socket (for example a TCP connection to an upstream
   * host); it sets TCP_NODELAY, as every connection from this package does.
   */
  static Connection of(Socket socket) throws IOException {
    if (!socket.isConnected()) {
      throw new IllegalArgumentException("socket is not connected");
    }
    return new SocketConnection(socket);
  }

  /**
   * {@code connection} with a read timeout, whatever its transport: a read that waits longer than
   * {@code timeout} closes the connection and fails with a {@link java.net.SocketTimeoutException}.
   * (A TCP socket can use {@link Socket#setSoTimeout} instead.)
   *
   * @param timeout positive
   */
  static Connection withReadTimeout(Connection connection, Duration timeout) {
    return new TimedConnection(connection, timeout);
  }

  /** The stream of bytes from the peer; the same object on every call. */
  InputStream input();

  /** The stream of bytes to the peer; the same object on every call. */
  OutputStream output();

  /**
   * Half-closes: the peer reads end of stream after everything written so far, while this side can
   * still read.
   */
  void shutdownOutput() throws IOException;

  /** The peer's address for logs, e.g. {@code "tcp:127.0.0.1:40122"} or {@code "vsock:16:1024"}. */
  String peer();

  /**
   * Closes both directions. Idempotent; a read or write blocked in another thread fails promptly
   * with an {@link IOException}.
   */
  @Override
  void close() throws IOException;
}
