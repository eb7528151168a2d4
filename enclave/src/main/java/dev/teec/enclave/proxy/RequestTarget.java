package dev.teec.enclave.proxy;

import java.util.List;

/**
 * Where one proxied request goes, from its request line and Host header: an absolute {@code
 * http://} URL outside a tunnel, or an origin-form path (or the tunnel's own {@code https://} URL)
 * inside a CONNECT tunnel, whose authority is the only one such requests may address.
 *
 * @param https whether the request goes over TLS (inside a tunnel)
 * @param authority the upstream host and port
 * @param pathAndQuery the origin-form target sent upstream, starting with {@code /}
 */
record RequestTarget(boolean https, Hosts.Authority authority, String pathAndQuery) {

  private static final int MAX_RECORDED_TARGET = 2048;

  /** A parsed request line. */
  record Line(String method, String target, boolean http11) {

    /** Parses {@code METHOD SP target SP HTTP/1.x}. */
    static Line parse(String start) throws HttpException {
      String[] parts = start.split(" ", -1);
      if (parts.length != 3 || !HttpHead.isToken(parts[0]) || parts[1].isEmpty()) {
        throw new HttpException(400, "malformed request line " + Hosts.quote(start));
      }
      // Clients percent-encode everything else; this keeps recorded URLs printable ASCII.
      if (!parts[1].chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new HttpException(
            400, "request target is not printable ASCII: " + Hosts.quote(parts[1]));
      }
      boolean http11;
      if (parts[2].equals("HTTP/1.1")) {
        http11 = true;
      } else if (parts[2].equals("HTTP/1.0")) {
        http11 = false;
      } else {
        throw new HttpException(505, "unsupported HTTP version " + Hosts.quote(parts[2]));
      }
      return new Line(parts[0], parts[1], http11);
    }
  }

  int defaultPort() {
    return https ? 443 : 80;
  }

  /** The URL recorded for this request (SPEC W7). */
  String url() {
    return (https ? "https://" : "http://")
        + authority.toUrlAuthority(defaultPort())
        + pathAndQuery;
  }

  /** Requests with equal keys may share one upstream connection. */
  String connectionKey() {
    return (https ? "https://" : "http://") + authority.host() + ":" + authority.port();
  }

  /**
   * The target of {@code line}.
   *
   * @param tunnel the CONNECT tunnel's authority, or null outside a tunnel
   * @throws HttpException (400) naming what is wrong with the target or Host header
   */
  static RequestTarget resolve(Line line, HttpHead head, Hosts.Authority tunnel)
      throws HttpException {
    String t = line.target();
    if (t.indexOf('#') >= 0) {
      throw new HttpException(400, "fragment in the request target");
    }
    if (tunnel != null) {
      return inTunnel(t, head, tunnel);
    }
    if (t.regionMatches(true, 0, "http://", 0, 7)) {
      return absolute(t, false);
    }
    if (t.regionMatches(true, 0, "https://", 0, 8)) {
      throw new HttpException(400, "https URLs must be requested through CONNECT");
    }
    throw new HttpException(
        400,
        "not a proxy request (expected an absolute http:// URL or CONNECT): " + Hosts.quote(t));
  }

  private static RequestTarget inTunnel(String t, HttpHead head, Hosts.Authority tunnel)
      throws HttpException {
    String path;
    if (t.startsWith("/")) {
      path = t;
    } else if (t.regionMatches(true, 0, "https://", 0, 8)) {
      RequestTarget absolute = absolute(t, true);
      if (!absolute.authority().equals(tunnel)) {
        throw new HttpException(
            400,
            "request for "
                + absolute.url()
                + " inside the tunnel to "
                + tunnel.toUrlAuthority(443));
      }
      path = absolute.pathAndQuery();
    } else {
      throw new HttpException(400, "malformed request target " + Hosts.quote(t));
    }
    List<String> hosts = head.values("Host");
    if (hosts.size() > 1) {
      throw new HttpException(400, "more than one Host header");
    }
    if (hosts.size() == 1) {
      Hosts.Authority host;
      try {
        host = Hosts.parseAuthority(hosts.get(0), 443);
      } catch (IllegalArgumentException e) {
        throw new HttpException(400, "bad Host header: " + e.getMessage());
      }
      if (!host.equals(tunnel)) {
        throw new HttpException(
            400,
            "Host "
                + Hosts.quote(hosts.get(0))
                + " does not match the tunnel to "
                + tunnel.toUrlAuthority(443));
      }
    }
    return new RequestTarget(true, tunnel, path);
  }

  private static RequestTarget absolute(String t, boolean https) throws HttpException {
    int start = https ? 8 : 7;
    int end = start;
    while (end < t.length() && t.charAt(end) != '/' && t.charAt(end) != '?') {
      end++;
    }
    Hosts.Authority authority;
    try {
      authority = Hosts.parseAuthority(t.substring(start, end), https ? 443 : 80);
    } catch (IllegalArgumentException e) {
      throw new HttpException(400, "bad URL " + Hosts.quote(t) + ": " + e.getMessage());
    }
    String rest = t.substring(end);
    String path = rest.isEmpty() ? "/" : rest.startsWith("?") ? "/" + rest : rest;
    return new RequestTarget(https, authority, path);
  }

  /**
   * For a request whose target was rejected: the URL it would have had, else the raw target; at
   * most {@value #MAX_RECORDED_TARGET} characters.
   */
  static String bestEffortUrl(String target, Hosts.Authority tunnel) {
    String url =
        tunnel != null && target.startsWith("/")
            ? "https://" + tunnel.toUrlAuthority(443) + target
            : target;
    return truncate(url);
  }

  /** {@code target}, cut to at most {@value #MAX_RECORDED_TARGET} characters for a record. */
  static String truncate(String target) {
    return target.length() <= MAX_RECORDED_TARGET
        ? target
        : target.substring(0, MAX_RECORDED_TARGET) + "...";
  }
}
