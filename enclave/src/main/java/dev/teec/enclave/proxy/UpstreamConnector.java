package dev.teec.enclave.proxy;

import java.io.IOException;
import java.time.Duration;

/**
 * How the proxy reaches upstream hosts: directly over TCP in local mode ({@link
 * TcpUpstreamConnector}), or inside a Nitro Enclave over the vsock egress channel to the host's
 * forwarder, which opens the TCP connection on the enclave's behalf.
 *
 * <p>The connector only carries bytes. TLS is always terminated by the proxy itself, above the
 * connection, so a forwarder in between sees only ciphertext and cannot alter it undetected. The
 * proxy checks its own {@link HostAllowlist} before calling {@link #connect}; a connector may
 * enforce its own (the host forwarder does).
 */
@FunctionalInterface
public interface UpstreamConnector {

  /**
   * Opens a connection to {@code host:port}.
   *
   * @param host normalised host name or IP literal (IPv6 without brackets); resolving it is the
   *     connector's job (in Nitro, the host's)
   * @param port 1..65535
   * @param connectTimeout give up connecting after this long
   * @param readTimeout a read that waits longer than this must fail with an IOException ({@link
   *     java.net.SocketTimeoutException} for TCP)
   * @throws IOException naming the host and port when the connection cannot be made
   */
  UpstreamConnection connect(String host, int port, Duration connectTimeout, Duration readTimeout)
      throws IOException;
}
