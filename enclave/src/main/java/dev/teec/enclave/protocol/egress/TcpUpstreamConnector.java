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
 * Direct TCP to an upstream host, trying each resolved address in turn, with the read timeout as
 * the socket's. {@link #publicInternet()} (the host's egress forwarder) connects only to public
 * addresses: a name on the allowlist that resolves to a loopback, private, link-local (the EC2
 * instance metadata service at 169.254.169.254 and fd00:ec2::254), CGNAT, multicast or otherwise
 * special address is refused, so the allowlist cannot be turned against the host's own network by
 * DNS. {@link #anyAddress()} (the proxy in local mode, which builds on the user's own machine and
 * network) connects to whatever the name resolves to. Immutable and thread-safe.
 */
public final class TcpUpstreamConnector implements UpstreamConnector {

  /** Name resolution, injectable for tests; {@code InetAddress::getAllByName} in production. */
  @FunctionalInterface
  public interface Resolver {
    /** All addresses of {@code host}, in preference order. */
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final Resolver resolver;
  private final boolean allowNonPublic;

  /**
   * @param resolver name resolution
   * @param allowNonPublic connect to non-public addresses too (tests and local mode only)
   */
  public TcpUpstreamConnector(Resolver resolver, boolean allowNonPublic) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.allowNonPublic = allowNonPublic;
  }

  /** The system resolver, public addresses only: the host's egress forwarder. */
  public static TcpUpstreamConnector publicInternet() {
    return new TcpUpstreamConnector(InetAddress::getAllByName, false);
  }

  /** The system resolver, any address: the proxy in local mode. */
  public static TcpUpstreamConnector anyAddress() {
    return new TcpUpstreamConnector(InetAddress::getAllByName, true);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code connectTimeout} applies to each address tried; both timeouts are whole milliseconds,
   * at most {@value Integer#MAX_VALUE}.
   */
  @Override
  public Connection connect(String host, int port, Duration connectTimeout, Duration readTimeout)
      throws IOException {
    int connectMillis = millis(connectTimeout, "connectTimeout");
    int readMillis = millis(readTimeout, "readTimeout");
    InetAddress[] resolved;
    try {
      resolved = resolver.resolve(host);
    } catch (UnknownHostException e) {
      UnknownHostException named = new UnknownHostException("cannot resolve upstream host " + host);
      named.initCause(e);
      throw named;
    }
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
        socket.connect(new InetSocketAddress(address, port), connectMillis);
        socket.setSoTimeout(readMillis);
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

  private static int millis(Duration timeout, String name) {
    if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          name + " must be in 1.." + Integer.MAX_VALUE + " ms, got " + timeout);
    }
    return (int) timeout.toMillis();
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
