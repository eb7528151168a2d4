package dev.teec.enclave.protocol.egress;

import dev.teec.enclave.protocol.transport.Connection;
import java.io.IOException;
import java.time.Duration;

/**
 * Opens a raw byte stream to an upstream host: the one way teec reaches the network. The worker's
 * recording proxy connects with {@link TcpUpstreamConnector#anyAddress()} in local mode and with an
 * {@link EgressClient} inside a Nitro Enclave, which asks the host's {@link EgressForwarder}; the
 * forwarder in turn connects with {@link TcpUpstreamConnector#publicInternet()}.
 *
 * <p>A connector only carries bytes: TLS is run above it, by the proxy, so a forwarder in between
 * sees only ciphertext. Callers check their own allowlist before connecting; a connector may
 * enforce its own as well (the forwarder's does). Every implementation applies both timeouts.
 */
@FunctionalInterface
public interface UpstreamConnector {

  /**
   * Opens a connection to {@code host:port}.
   *
   * @param host normalised host name or IP literal (IPv6 without brackets); resolving it is the
   *     connector's job (through the egress channel, the host's)
   * @param port 1..65535
   * @param connectTimeout positive; opening the connection fails with an {@link IOException} once
   *     it has taken this long
   * @param readTimeout positive; a read on the returned connection that waits longer fails with a
   *     {@link java.net.SocketTimeoutException}, after which the connection is unusable
   * @throws IOException naming the host and port when the connection cannot be made
   */
  Connection connect(String host, int port, Duration connectTimeout, Duration readTimeout)
      throws IOException;
}
