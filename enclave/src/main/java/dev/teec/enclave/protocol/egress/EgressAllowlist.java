package dev.teec.enclave.protocol.egress;

import dev.teec.enclave.protocol.EgressOpen;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which upstream hosts and ports the forwarder connects to: exact host names (no wildcards, no
 * suffix matching) and a set of ports, by default 443 and 80. A request is permitted when its host
 * is in {@code hosts} and its port in {@code ports}.
 *
 * @param hosts lower-case DNS names or dotted IPv4 addresses, as {@link EgressOpen#isValidHost}
 * @param ports 1..65535
 */
public record EgressAllowlist(Set<String> hosts, Set<Integer> ports) {

  /** HTTPS and HTTP. */
  public static final Set<Integer> WEB_PORTS = Set.of(443, 80);

  /** Checks and copies the sets. */
  public EgressAllowlist {
    hosts = Set.copyOf(hosts);
    ports = Set.copyOf(ports);
    for (String host : hosts) {
      if (!EgressOpen.isValidHost(host)) {
        throw new IllegalArgumentException(
            "allowlist host \"" + host + "\" is not a lower-case DNS name or IPv4 address");
      }
    }
    for (int port : ports) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("allowlist port " + port + " is not in 1..65535");
      }
    }
  }

  /** {@code hosts} (lower-cased) on {@link #WEB_PORTS}. */
  public static EgressAllowlist of(Collection<String> hosts) {
    List<String> lower = new ArrayList<>();
    for (String host : hosts) {
      lower.add(host.toLowerCase(Locale.ROOT));
    }
    return new EgressAllowlist(Set.copyOf(lower), WEB_PORTS);
  }

  /**
   * Parses an allowlist file: one host per line, lower-cased; blank lines and everything after
   * {@code #} ignored; ports are {@link #WEB_PORTS}.
   *
   * @throws IllegalArgumentException naming the line of the first invalid host
   */
  public static EgressAllowlist parse(String text) {
    List<String> hosts = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      String host = (hash >= 0 ? line.substring(0, hash) : line).strip().toLowerCase(Locale.ROOT);
      if (host.isEmpty()) {
        continue;
      }
      if (!EgressOpen.isValidHost(host)) {
        throw new IllegalArgumentException(
            "allowlist line " + (i + 1) + ": \"" + host + "\" is not a DNS name or IPv4 address");
      }
      hosts.add(host);
    }
    return new EgressAllowlist(Set.copyOf(hosts), WEB_PORTS);
  }

  /** Whether the forwarder may connect to {@code host:port}; the host is compared exactly. */
  public boolean permits(String host, int port) {
    return hosts.contains(host) && ports.contains(port);
  }
}
