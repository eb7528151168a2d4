package dev.teec.enclave.protocol.transport;

import java.io.Closeable;
import java.io.IOException;

/** A listening endpoint. {@link #close()} makes a blocked {@link #accept()} fail promptly. */
public interface Acceptor extends Closeable {

  /**
   * Waits for the next connection.
   *
   * @throws IOException if accepting fails, including because this acceptor was closed
   */
  Connection accept() throws IOException;

  /** A transport that connects to this acceptor (with the actual port if port 0 was asked for). */
  Transport endpoint();

  /** Stops listening (and removes what it created, such as a socket file). Idempotent. */
  @Override
  void close() throws IOException;
}
