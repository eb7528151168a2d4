package dev.teec.enclave.protocol.egress;

import dev.teec.enclave.protocol.transport.Connection;
import java.io.IOException;

/**
 * Opens a byte stream to {@code host:port}. The worker's proxy can be written against this one
 * interface: {@link EgressClient} in Nitro, {@link TcpUpstreamConnector} locally; the forwarder
 * uses a {@link TcpUpstreamConnector} on the host side.
 */
@FunctionalInterface
public interface UpstreamConnector {

  /** A connection carrying raw bytes to and from {@code host:port}. */
  Connection connect(String host, int port) throws IOException;
}
