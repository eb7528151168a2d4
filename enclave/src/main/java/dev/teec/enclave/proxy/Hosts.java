package dev.teec.enclave.proxy;

import java.util.Locale;
import org.bouncycastle.util.IPAddress;

/**
 * Host names and authorities as the proxy accepts them: DNS names made of letters, digits, '-' and
 * '_' (ASCII only, at most 253 characters, labels of 1..63), IPv4 dotted quads and IPv6 literals.
 * Everything is lower-cased; nothing is ever resolved here.
 */
final class Hosts {

  private static final int MAX_HOST_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private Hosts() {}

  /** A host and port; {@code host} is normalised (lower case, IPv6 without brackets). */
  record Authority(String host, int port) {

    /**
     * {@code host[:port]} as it appears in a URL, the port omitted when it is the scheme's default.
     */
    String toUrlAuthority(int defaultPort) {
      String h = isIpv6(host) ? "[" + host + "]" : host;
      return port == defaultPort ? h : h + ":" + port;
    }
  }

  /**
   * Normalises {@code host} (lower case; brackets around an IPv6 literal removed).
   *
   * @throws IllegalArgumentException naming the problem if it is not a valid host
   */
  static String normalise(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("empty host name");
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
      if (!IPAddress.isValidIPv6(h)) {
        throw new IllegalArgumentException("invalid IPv6 literal: " + quote(host));
      }
      return h;
    }
    if (isIpLiteral(h)) {
      return h;
    }
    if (h.length() > MAX_HOST_LENGTH) {
      throw new IllegalArgumentException(
          "host name longer than " + MAX_HOST_LENGTH + " characters");
    }
    int labelStart = 0;
    for (int i = 0; i <= h.length(); i++) {
      char c = i < h.length() ? h.charAt(i) : '.';
      if (c == '.') {
        int length = i - labelStart;
        if (length == 0 || length > MAX_LABEL_LENGTH) {
          throw new IllegalArgumentException(
              "invalid host name (empty or over-long label): " + quote(host));
        }
        labelStart = i + 1;
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        throw new IllegalArgumentException("invalid character in host name: " + quote(host));
      }
    }
    return h;
  }

  static boolean isIpLiteral(String host) {
    return IPAddress.isValidIPv4(host) || isIpv6(host);
  }

  static boolean isIpv6(String host) {
    return host.indexOf(':') >= 0 && IPAddress.isValidIPv6(host);
  }

  /**
   * Parses {@code host:port} or {@code [v6]:port}; the port may be omitted when {@code defaultPort}
   * is positive.
   *
   * @throws IllegalArgumentException naming the problem
   */
  static Authority parseAuthority(String authority, int defaultPort) {
    if (authority == null || authority.isEmpty()) {
      throw new IllegalArgumentException("empty authority");
    }
    if (authority.indexOf('@') >= 0) {
      throw new IllegalArgumentException(
          "user information in the authority is not allowed: " + quote(authority));
    }
    String host;
    String port;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unterminated IPv6 literal: " + quote(authority));
      }
      host = authority.substring(0, close + 1);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw new IllegalArgumentException(
            "unexpected text after IPv6 literal: " + quote(authority));
      }
      port = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? null : authority.substring(colon + 1);
    }
    int p;
    if (port == null) {
      if (defaultPort <= 0) {
        throw new IllegalArgumentException("port missing in " + quote(authority));
      }
      p = defaultPort;
    } else {
      p = parsePort(port, authority);
    }
    return new Authority(normalise(host), p);
  }

  private static int parsePort(String port, String authority) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("invalid port in " + quote(authority));
    }
    int p = Integer.parseInt(port);
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("port out of range in " + quote(authority));
    }
    return p;
  }

  /** Quotes untrusted text for an error message, cut short and with control characters escaped. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    int limit = Math.min(s.length(), 200);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > limit) {
      b.append("...");
    }
    return b.append('"').toString();
  }
}
