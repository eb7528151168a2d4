package dev.teec.enclave.protocol.transport;

import java.io.IOException;

/**
 * An address and the means to reach it: {@link #connect()} for the side that dials, {@link
 * #listen()} for the side that waits. Implementations are immutable.
 */
public interface Transport {

  /** Opens a connection to this address. */
  Connection connect() throws IOException;

  /** Starts listening at this address. */
  Acceptor listen() throws IOException;

  /**
   * The address, e.g. {@code "tcp:127.0.0.1:5005"}, {@code "unix:/run/teec.sock"}, {@code
   * "vsock:3:8001"}.
   */
  @Override
  String toString();
}
