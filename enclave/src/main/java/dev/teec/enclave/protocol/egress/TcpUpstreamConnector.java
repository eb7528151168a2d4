package dev.teec.enclave.protocol.egress;

import dev.teec.enclave.protocol.transport.Connection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Direct TCP to an upstream host. Unless told otherwise it connects only to public addresses: a
 * name on the allowlist that resolves to a loopback, private, link-local (the EC2 instance metadata
 * service at 169.254.169.254 and fd00:ec2::254), CGNAT, multicast or otherwise special address is
 * refused, so the allowlist cannot be turned against the host's own network by DNS.
 */
public final class TcpUpstreamConnector implements UpstreamConnector {

  /** Name resolution, injectable for tests; {@code InetAddress::getAllByName} in production. */
  @FunctionalInterface
  public interface Resolver {
    /** All addresses of {@code host}, in preference order. */
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final Resolver resolver;
  private final Duration connectTimeout;
  private final boolean allowNonPublic;

  /**
   * @param resolver name resolution
   * @param connectTimeout per address tried, 1 ms..1 hour
   * @param allowNonPublic connect to non-public addresses too (tests and local mode only)
   */
  public TcpUpstreamConnector(Resolver resolver, Duration connectTimeout, boolean allowNonPublic) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    if (connectTimeout.toMillis() < 1 || connectTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "connectTimeout must be in 1 ms..1 h, got " + connectTimeout);
    }
    this.connectTimeout = connectTimeout;
    this.allowNonPublic = allowNonPublic;
  }

  /** The system resolver, a 10-second connect timeout, public addresses only. */
  public static TcpUpstreamConnector publicInternet() {
    return new TcpUpstreamConnector(InetAddress::getAllByName, Duration.ofSeconds(10), false);
  }

  @Override
  public Connection connect(String host, int port) throws IOException {
    InetAddress[] resolved = resolver.resolve(host);
    List<InetAddress> candidates = new ArrayList<>();
    for (InetAddress address : resolved) {
      if (allowNonPublic || isPublic(address)) {
        candidates.add(address);
      }
    }
    if (candidates.isEmpty()) {
      throw new ConnectException(
          host + " resolves to no public address (" + describe(resolved) + ")");
    }
    IOException failure = null;
    for (InetAddress address : candidates) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
        return Connection.of(socket);
      } catch (IOException e) {
        socket.close();
        if (failure == null) {
          failure =
              new ConnectException(
                  "cannot connect to " + host + ":" + port + ": " + e.getMessage());
        }
        failure.addSuppressed(e);
      }
    }
    throw failure;
  }

  /** Whether {@code address} is an ordinary public unicast address. */
  public static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xFF;
      int second = b[1] & 0xFF;
      return first != 0 // "this network"
          && !(first == 100 && second >= 64 && second <= 127) // CGNAT 100.64/10
          && !(first == 192 && second == 0 && (b[2] & 0xFF) == 0) // IETF protocol assignments
          && !(first == 198 && (second == 18 || second == 19)) // benchmarking
          && first < 240; // reserved and broadcast
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xFF;
      return (first & 0xFE) != 0xFC // unique local fc00::/7 (fd00:ec2::254 is the metadata service)
          && !((Inet6Address) address).isIPv4CompatibleAddress();
    }
    return false;
  }

  private static String describe(InetAddress[] addresses) {
    List<String> texts = new ArrayList<>();
    for (InetAddress address : addresses) {
      texts.add(address.getHostAddress());
    }
    return texts.isEmpty() ? "no addresses" : String.join(", ", texts);
  }
}
