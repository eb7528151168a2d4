package dev.teec.enclave.protocol;

/**
 * The first and only frame the enclave sends on an egress connection (SPEC.md W9): open a TCP
 * connection to {@code host:port}. After the forwarder's {@link EgressOk} the connection carries
 * raw bytes.
 *
 * @param protocolVersion the version the enclave speaks, 1..65535
 * @param host a lower-case DNS name or dotted IPv4 address, at most 253 characters
 * @param port 1..65535
 */
public record EgressOpen(int protocolVersion, String host, int port) implements Frame {

  /** Checks the limits. */
  public EgressOpen {
    FieldCheck.range(protocolVersion, 1, 65535, "egress_open.protocol_version");
    FieldCheck.host(host, "egress_open.host");
    FieldCheck.range(port, 1, 65535, "egress_open.port");
  }

  /**
   * Whether {@code host} is acceptable in an egress request: a lower-case DNS name or dotted IPv4
   * address of at most 253 characters. Allowlists use the same rule so they can only name hosts
   * that can be asked for.
   */
  public static boolean isValidHost(String host) {
    try {
      FieldCheck.host(host, "host");
      return true;
    } catch (FrameValidationException e) {
      return false;
    }
  }

  /** A request for this implementation's {@link Protocol#VERSION}. */
  public static EgressOpen of(String host, int port) {
    return new EgressOpen(Protocol.VERSION, host, port);
  }

  @Override
  public FrameType frameType() {
    return FrameType.EGRESS_OPEN;
  }
}
