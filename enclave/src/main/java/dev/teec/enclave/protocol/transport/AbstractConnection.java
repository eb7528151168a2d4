package dev.teec.enclave.protocol.transport;

/**
 * What every {@link Connection} of this package shares: the peer's name, which is also its string
 * form.
 */
abstract class AbstractConnection implements Connection {

  private final String peer;

  AbstractConnection(String peer) {
    this.peer = peer;
  }

  @Override
  public final String peer() {
    return peer;
  }

  @Override
  public final String toString() {
    return "Connection[" + peer + "]";
  }
}
