package dev.teec.enclave.protocol;

/**
 * The client's first frame.
 *
 * @param protocolVersion the version the client speaks, 1..65535
 * @param clientName a name for logs, e.g. {@code "teec-builder/0.1.0"}: 1..128 UTF-8 bytes, no
 *     control characters
 */
public record ClientHello(int protocolVersion, String clientName) implements Frame {

  /** Checks the limits. */
  public ClientHello {
    FieldCheck.range(protocolVersion, 1, 65535, "client_hello.protocol_version");
    FieldCheck.name(clientName, Protocol.MAX_NAME_BYTES, "client_hello.client_name");
  }

  /** A hello for this implementation's {@link Protocol#VERSION}. */
  public static ClientHello of(String clientName) {
    return new ClientHello(Protocol.VERSION, clientName);
  }

  @Override
  public FrameType frameType() {
    return FrameType.CLIENT_HELLO;
  }
}
