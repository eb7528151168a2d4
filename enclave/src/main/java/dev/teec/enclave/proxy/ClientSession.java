package dev.teec.enclave.proxy;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Serves one client connection: plain-HTTP proxy requests in absolute form, or a CONNECT tunnel in
 * which the proxy terminates TLS with a certificate from the build's CA and then serves origin-form
 * requests for the tunnel's host. Every request ends in exactly one {@link NetworkRecord}. Runs on
 * one thread.
 */
final class ClientSession {

  private static final int COPY_BUFFER = 32 * 1024;
  private static final int MAX_RECORDED_TARGET = 2048;
  private static final Set<String> DROPPED_REQUEST_FIELDS = Set.of("host", "expect");

  private final ProxySettings settings;
  private final Consumer<NetworkRecord> recorder;
  private final Consumer<Closeable> track;
  private final Consumer<Closeable> untrack;
  private final Socket socket;
  private HttpInput in;
  private OutputStream out;
  // Non-null inside a CONNECT tunnel: the only authority requests may address.
  private Hosts.Authority tunnel;
  private Upstream upstream;

  /** The parsed request line. */
  private record RequestLine(String method, String target, boolean http11) {}

  /** Where one request goes. */
  private record Target(boolean https, Hosts.Authority authority, String pathAndQuery) {
    int defaultPort() {
      return https ? 443 : 80;
    }

    String url() {
      return (https ? "https://" : "http://")
          + authority.toUrlAuthority(defaultPort())
          + pathAndQuery;
    }

    String key() {
      return (https ? "https://" : "http://") + authority.host() + ":" + authority.port();
    }
  }

  /** Reading the client's request body failed (broken framing, over the limit, disconnect). */
  private static final class ClientGone extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ClientGone(int status, String message, IOException cause) {
      super(message, cause);
      this.status = status;
    }
  }

  ClientSession(
      ProxySettings settings,
      Consumer<NetworkRecord> recorder,
      Consumer<Closeable> track,
      Consumer<Closeable> untrack,
      Socket socket)
      throws IOException {
    this.settings = settings;
    this.recorder = recorder;
    this.track = track;
    this.untrack = untrack;
    this.socket = socket;
    this.in = new HttpInput(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream(), COPY_BUFFER);
  }

  /** Serves requests until either side closes; never throws for network or protocol failures. */
  void run() {
    try {
      while (true) {
        HttpHead head;
        try {
          head = HttpHead.read(in, 400);
        } catch (HttpException e) {
          respondError(e.status(), e.getMessage(), false, false);
          return;
        }
        if (head == null) {
          return;
        }
        RequestLine line;
        try {
          line = parseRequestLine(head.startLine());
        } catch (HttpException e) {
          respondError(e.status(), e.getMessage(), false, false);
          return;
        }
        boolean keepAlive;
        if (line.method().equals("CONNECT")) {
          keepAlive = openTunnel(line);
        } else {
          keepAlive = exchange(line, head);
        }
        if (!keepAlive) {
          return;
        }
      }
    } catch (IOException e) {
      // The client disconnected or timed out: there is nobody left to answer.
    } finally {
      closeUpstream();
    }
  }

  private static RequestLine parseRequestLine(String start) throws HttpException {
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
    return new RequestLine(parts[0], parts[1], http11);
  }

  // ---- CONNECT ----------------------------------------------------------------------------------

  private boolean openTunnel(RequestLine line) throws IOException {
    if (tunnel != null) {
      respondError(400, "CONNECT inside a CONNECT tunnel", false, false);
      return false;
    }
    Hosts.Authority authority;
    try {
      authority = Hosts.parseAuthority(line.target(), -1);
    } catch (IllegalArgumentException e) {
      record(
          "CONNECT",
          truncate(line.target()),
          400,
          0,
          null,
          null,
          false,
          "bad CONNECT target: " + e.getMessage());
      respondError(400, "bad CONNECT target: " + e.getMessage(), false, false);
      return false;
    }
    out.write(HttpInput.ascii("HTTP/1.1 200 Connection established\r\n\r\n"));
    out.flush();
    SSLSocket tls;
    try {
      tls =
          (SSLSocket)
              settings
                  .ca()
                  .serverContext(authority.host())
                  .getSocketFactory()
                  .createSocket(socket, in.takeBuffered(), true);
      tls.setUseClientMode(false);
      SSLParameters parameters = tls.getSSLParameters();
      // Only HTTP/1.1 is spoken inside the tunnel; clients offering h2 fall back to it.
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      tls.setSSLParameters(parameters);
      tls.startHandshake();
    } catch (IOException e) {
      record(
          "CONNECT",
          "https://" + authority.toUrlAuthority(443),
          0,
          0,
          null,
          null,
          false,
          "client TLS handshake failed (does the toolchain trust the build CA?): "
              + e.getMessage());
      return false;
    }
    in = new HttpInput(tls.getInputStream());
    out = new BufferedOutputStream(tls.getOutputStream(), COPY_BUFFER);
    tunnel = authority;
    return true;
  }

  // ---- one request ------------------------------------------------------------------------------

  private boolean exchange(RequestLine line, HttpHead head) throws IOException {
    String method = line.method();
    boolean isHead = method.equals("HEAD");
    boolean clientKeepAlive =
        line.http11()
            && !head.lists("Connection", "close")
            && !head.lists("Proxy-Connection", "close");
    Target target;
    try {
      target = target(line, head);
    } catch (HttpException e) {
      record(
          method, bestEffortUrl(line.target()), e.status(), 0, null, null, false, e.getMessage());
      respondError(e.status(), e.getMessage(), false, isHead);
      return false;
    }
    String url = target.url();
    long requestLength;
    try {
      requestLength = Bodies.declaredLength(head, 400);
    } catch (HttpException e) {
      record(method, url, e.status(), 0, null, null, false, e.getMessage());
      respondError(e.status(), e.getMessage(), false, isHead);
      return false;
    }
    boolean hasBody = requestLength != 0;
    if (!settings.allowlist().allows(target.authority().host())) {
      String why = "host " + target.authority().host() + " is not on the build's allowlist";
      record(method, url, 403, 0, null, null, true, why);
      // The body, if any, was not read: the connection cannot carry another request.
      respondError(403, why, clientKeepAlive && !hasBody, isHead);
      return clientKeepAlive && !hasBody;
    }
    if (requestLength > settings.maxRequestBodyBytes()) {
      String why =
          "request body of "
              + requestLength
              + " bytes exceeds the limit of "
              + settings.maxRequestBodyBytes();
      record(method, url, 413, 0, null, null, false, why);
      respondError(413, why, false, isHead);
      return false;
    }
    if (hasBody && head.lists("Expect", "100-continue")) {
      // Expect is not forwarded: the proxy itself takes the body, so it invites it now.
      try {
        out.write(HttpInput.ascii("HTTP/1.1 100 Continue\r\n\r\n"));
        out.flush();
      } catch (IOException e) {
        record(
            method,
            url,
            0,
            0,
            null,
            null,
            false,
            "client closed the connection: " + e.getMessage());
        return false;
      }
    }
    if (settings.replay() != null) {
      return replay(method, url, clientKeepAlive, requestLength);
    }

    HttpHead response;
    for (int attempt = 0; ; attempt++) {
      boolean reused;
      try {
        reused = ensureUpstream(target, hasBody);
      } catch (IOException e) {
        String why =
            "cannot reach upstream "
                + target.authority().toUrlAuthority(target.defaultPort())
                + ": "
                + describe(e);
        record(method, url, 502, 0, null, null, false, why);
        respondError(502, why, clientKeepAlive && !hasBody, isHead);
        return clientKeepAlive && !hasBody;
      }
      try {
        sendRequest(line, head, target, requestLength);
        response = readResponseHead(method);
        break;
      } catch (ClientGone e) {
        closeUpstream();
        record(method, url, e.status, 0, null, null, false, e.getMessage());
        try {
          respondError(e.status, e.getMessage(), false, isHead);
        } catch (IOException ignored) {
          // The client may be gone: the record above is all that is left to do.
        }
        return false;
      } catch (IOException e) {
        closeUpstream();
        // A kept-alive upstream connection may have been closed by the server meanwhile.
        if (reused && !hasBody && attempt == 0) {
          continue;
        }
        String why = "upstream failed: " + describe(e);
        record(method, url, 502, 0, null, null, false, why);
        respondError(502, why, clientKeepAlive && !hasBody, isHead);
        return clientKeepAlive && !hasBody;
      }
    }
    return relayResponse(method, url, line.http11(), clientKeepAlive, response);
  }

  private Target target(RequestLine line, HttpHead head) throws HttpException {
    String t = line.target();
    if (t.indexOf('#') >= 0) {
      throw new HttpException(400, "fragment in the request target");
    }
    if (tunnel != null) {
      String path;
      if (t.startsWith("/")) {
        path = t;
      } else if (t.regionMatches(true, 0, "https://", 0, 8)) {
        Target absolute = absolute(t, true);
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
      return new Target(true, tunnel, path);
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

  private static Target absolute(String t, boolean https) throws HttpException {
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
    return new Target(https, authority, path);
  }

  // ---- offline replay ---------------------------------------------------------------------------

  /** Answers from the recorded responses instead of upstream (SPEC W7.8). */
  private boolean replay(String method, String url, boolean clientKeepAlive, long requestLength)
      throws IOException {
    boolean isHead = method.equals("HEAD");
    if (requestLength != 0) {
      // Not part of the record, so it cannot select the answer; read it to keep the connection
      // usable.
      InputStream body =
          requestLength == Bodies.CHUNKED
              ? new Bodies.ChunkedInput(in, 400)
              : new Bodies.FixedInput(in, requestLength);
      try {
        copyRequestBody(body, OutputStream.nullOutputStream());
      } catch (ClientGone e) {
        record(method, url, e.status, 0, null, null, false, e.getMessage());
        try {
          respondError(e.status, e.getMessage(), false, isHead);
        } catch (IOException ignored) {
          // The client may be gone: the record above is all that is left to do.
        }
        return false;
      }
    }
    OfflineReplay.Answer answer;
    try {
      answer = settings.replay().answer(method, url);
    } catch (HttpException e) {
      record(method, url, e.status(), 0, null, null, false, e.getMessage());
      respondError(e.status(), e.getMessage(), clientKeepAlive, isHead);
      return clientKeepAlive;
    }
    try (answer) {
      RecordedResponse r = answer.response();
      List<HttpHead.Field> fields = new ArrayList<>();
      if (r.contentType() != null) {
        fields.add(new HttpHead.Field("Content-Type", r.contentType()));
      }
      if (!r.bodyless()) {
        fields.add(new HttpHead.Field("Content-Length", Long.toString(r.size())));
      }
      if (!clientKeepAlive) {
        fields.add(new HttpHead.Field("Connection", "close"));
      }
      try {
        HttpHead.write(out, "HTTP/1.1 " + r.status() + " " + reason(r.status()), fields);
        answer.writeBody(out);
        out.flush();
      } catch (HttpException e) {
        // Short of Content-Length: the client sees a truncated response.
        record(method, url, r.status(), 0, r.contentType(), null, false, e.getMessage());
        return false;
      } catch (IOException e) {
        record(
            method,
            url,
            r.status(),
            0,
            r.contentType(),
            null,
            false,
            "client closed the connection: " + e.getMessage());
        return false;
      }
      record(method, url, r.status(), r.size(), r.contentType(), r.sha256(), false, null);
      return clientKeepAlive;
    }
  }

  // ---- upstream ---------------------------------------------------------------------------------

  /** One connection to an upstream server, TLS included when https. */
  private static final class Upstream implements Closeable {
    final String key;
    final UpstreamConnection raw;
    // The TLS layer for https (closing it sends close_notify), else the raw connection.
    final Closeable connection;
    final HttpInput in;
    final OutputStream out;
    boolean reusable;

    Upstream(
        String key,
        UpstreamConnection raw,
        Closeable connection,
        InputStream in,
        OutputStream out) {
      this.key = key;
      this.raw = raw;
      this.connection = connection;
      this.in = new HttpInput(in);
      this.out = new BufferedOutputStream(out, COPY_BUFFER);
    }

    @Override
    public void close() throws IOException {
      connection.close();
    }
  }

  /**
   * Makes {@link #upstream} a connection for {@code target}; returns whether an old one was reused.
   */
  private boolean ensureUpstream(Target target, boolean fresh) throws IOException {
    if (upstream != null && upstream.reusable && !fresh && upstream.key.equals(target.key())) {
      upstream.reusable = false;
      return true;
    }
    closeUpstream();
    Hosts.Authority a = target.authority();
    UpstreamConnection raw =
        settings
            .connector()
            .connect(a.host(), a.port(), settings.connectTimeout(), settings.readTimeout());
    track.accept(raw);
    try {
      if (target.https()) {
        EngineTls tls = EngineTls.connect(settings.upstreamTls(), a.host(), a.port(), raw);
        upstream = new Upstream(target.key(), raw, tls, tls.input(), tls.output());
      } else {
        upstream = new Upstream(target.key(), raw, raw, raw.input(), raw.output());
      }
    } catch (IOException | RuntimeException e) {
      untrack.accept(raw);
      raw.close();
      throw e;
    }
    return false;
  }

  private void closeUpstream() {
    if (upstream != null) {
      try {
        upstream.close();
      } catch (IOException e) {
        // Nothing more to do with a connection being dropped.
      }
      untrack.accept(upstream.raw);
      upstream = null;
    }
  }

  private void sendRequest(RequestLine line, HttpHead head, Target target, long length)
      throws IOException {
    List<HttpHead.Field> fields = new ArrayList<>();
    fields.add(new HttpHead.Field("Host", target.authority().toUrlAuthority(target.defaultPort())));
    fields.addAll(head.endToEnd(DROPPED_REQUEST_FIELDS));
    if (length == Bodies.CHUNKED) {
      fields.add(new HttpHead.Field("Transfer-Encoding", "chunked"));
    } else if (length > 0 || head.first("Content-Length") != null) {
      fields.add(new HttpHead.Field("Content-Length", Long.toString(length)));
    }
    HttpHead.write(upstream.out, line.method() + " " + target.pathAndQuery() + " HTTP/1.1", fields);
    if (length == Bodies.CHUNKED) {
      Bodies.ChunkedOutput chunked = new Bodies.ChunkedOutput(upstream.out);
      copyRequestBody(new Bodies.ChunkedInput(in, 400), chunked);
      chunked.finish();
    } else if (length > 0) {
      copyRequestBody(new Bodies.FixedInput(in, length), upstream.out);
    }
    upstream.out.flush();
  }

  private void copyRequestBody(InputStream body, OutputStream target) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER];
    long total = 0;
    while (true) {
      int n;
      try {
        n = body.read(buffer);
      } catch (IOException e) {
        throw new ClientGone(
            e instanceof HttpException h ? h.status() : 400,
            "client request body broken: " + describe(e),
            e);
      }
      if (n < 0) {
        return;
      }
      total += n;
      if (total > settings.maxRequestBodyBytes()) {
        throw new ClientGone(
            413,
            "request body exceeds the limit of " + settings.maxRequestBodyBytes() + " bytes",
            null);
      }
      target.write(buffer, 0, n);
    }
  }

  private HttpHead readResponseHead(String method) throws IOException {
    while (true) {
      HttpHead response = HttpHead.read(upstream.in, 502);
      if (response == null) {
        throw new EOFException("upstream closed the connection without a response");
      }
      int status = status(response);
      if (status == 101) {
        throw new HttpException(
            502, "upstream switched protocols, which the proxy does not support");
      }
      if (status >= 200) {
        return response;
      }
      // Interim responses (100 Continue, 103 Early Hints) are consumed here; the final one follows.
    }
  }

  private static int status(HttpHead response) throws HttpException {
    String s = response.startLine();
    if (!(s.startsWith("HTTP/1.1 ") || s.startsWith("HTTP/1.0 "))
        || s.length() < 12
        || (s.length() > 12 && s.charAt(12) != ' ')) {
      throw new HttpException(502, "malformed upstream status line " + Hosts.quote(s));
    }
    String code = s.substring(9, 12);
    if (!code.chars().allMatch(c -> c >= '0' && c <= '9') || code.charAt(0) == '0') {
      throw new HttpException(502, "malformed upstream status code " + Hosts.quote(s));
    }
    return Integer.parseInt(code);
  }

  // ---- response ---------------------------------------------------------------------------------

  private boolean relayResponse(
      String method, String url, boolean clientHttp11, boolean clientKeepAlive, HttpHead response)
      throws IOException {
    int status = status(response);
    String contentType = response.first("Content-Type");
    boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
    long length;
    try {
      length = noBody ? 0 : bodyLength(response);
    } catch (HttpException e) {
      closeUpstream();
      String why = "upstream response framing: " + e.getMessage();
      record(method, url, 502, 0, null, null, false, why);
      respondError(502, why, clientKeepAlive, false);
      return clientKeepAlive;
    }
    if (length > settings.maxResponseBytes()) {
      closeUpstream();
      String why =
          "response body of "
              + length
              + " bytes exceeds the limit of "
              + settings.maxResponseBytes();
      record(method, url, 502, 0, contentType, null, false, why);
      respondError(502, why, clientKeepAlive, method.equals("HEAD"));
      return clientKeepAlive;
    }
    boolean bodyUntilClose = length == Bodies.UNTIL_CLOSE;
    boolean chunkToClient = (length == Bodies.CHUNKED || bodyUntilClose) && clientHttp11;
    boolean keepAlive = clientKeepAlive && !(bodyUntilClose && !chunkToClient);
    boolean upstreamReusable =
        !bodyUntilClose
            && response.startLine().startsWith("HTTP/1.1 ")
            && !response.lists("Connection", "close");

    List<HttpHead.Field> fields = new ArrayList<>(response.endToEnd(Set.of()));
    if (noBody) {
      // A HEAD or 304 answer announces the length the body would have; keep it for the client.
      String declared = response.first("Content-Length");
      if (declared != null && status != 204) {
        fields.add(new HttpHead.Field("Content-Length", declared));
      }
    } else if (length >= 0) {
      fields.add(new HttpHead.Field("Content-Length", Long.toString(length)));
    } else if (chunkToClient) {
      fields.add(new HttpHead.Field("Transfer-Encoding", "chunked"));
    }
    if (!keepAlive) {
      fields.add(new HttpHead.Field("Connection", "close"));
    }
    String reason = response.startLine().length() > 13 ? response.startLine().substring(13) : "";
    try {
      HttpHead.write(out, "HTTP/1.1 " + status + " " + reason, fields);
    } catch (IOException e) {
      closeUpstream();
      record(
          method,
          url,
          status,
          0,
          contentType,
          null,
          false,
          "client closed the connection: " + e.getMessage());
      return false;
    }

    MessageDigest sha256 = sha256();
    long size = 0;
    Bodies.ChunkedOutput chunked = chunkToClient ? new Bodies.ChunkedOutput(out) : null;
    if (!noBody) {
      InputStream body =
          length == Bodies.CHUNKED
              ? new Bodies.ChunkedInput(upstream.in, 502)
              : bodyUntilClose ? upstream.in : new Bodies.FixedInput(upstream.in, length);
      OutputStream sink = chunked != null ? chunked : out;
      byte[] buffer = new byte[COPY_BUFFER];
      while (true) {
        int n;
        try {
          n = body.read(buffer);
        } catch (IOException e) {
          closeUpstream();
          record(
              method,
              url,
              status,
              size,
              contentType,
              null,
              false,
              "upstream failed after " + size + " body bytes: " + describe(e));
          // Closing without the final chunk (or short of Content-Length) tells the client it is
          // truncated.
          return false;
        }
        if (n < 0) {
          break;
        }
        size += n;
        if (size > settings.maxResponseBytes()) {
          closeUpstream();
          record(
              method,
              url,
              status,
              size - n,
              contentType,
              null,
              false,
              "response body exceeds the limit of "
                  + settings.maxResponseBytes()
                  + " bytes; aborted");
          return false;
        }
        sha256.update(buffer, 0, n);
        try {
          sink.write(buffer, 0, n);
          sink.flush();
        } catch (IOException e) {
          closeUpstream();
          record(
              method,
              url,
              status,
              size,
              contentType,
              null,
              false,
              "client closed the connection after " + size + " body bytes: " + e.getMessage());
          return false;
        }
      }
    }
    try {
      if (chunked != null) {
        chunked.finish();
      }
      out.flush();
    } catch (IOException e) {
      closeUpstream();
      record(
          method,
          url,
          status,
          size,
          contentType,
          null,
          false,
          "client closed the connection after " + size + " body bytes: " + e.getMessage());
      return false;
    }
    if (upstreamReusable) {
      upstream.reusable = true;
    } else {
      closeUpstream();
    }
    record(
        method,
        url,
        status,
        size,
        contentType,
        HexFormat.of().formatHex(sha256.digest()),
        false,
        null);
    return keepAlive;
  }

  /** Like {@link Bodies#declaredLength} but a response without framing fields runs until close. */
  private static long bodyLength(HttpHead response) throws HttpException {
    if (response.first("Transfer-Encoding") == null && response.first("Content-Length") == null) {
      return Bodies.UNTIL_CLOSE;
    }
    return Bodies.declaredLength(response, 502);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void respondError(int status, String message, boolean keepAlive, boolean headRequest)
      throws IOException {
    byte[] body = ("teec proxy: " + message + "\n").getBytes(StandardCharsets.UTF_8);
    List<HttpHead.Field> fields = new ArrayList<>();
    fields.add(new HttpHead.Field("Content-Type", "text/plain; charset=utf-8"));
    fields.add(new HttpHead.Field("Content-Length", Integer.toString(body.length)));
    if (!keepAlive) {
      fields.add(new HttpHead.Field("Connection", "close"));
    }
    HttpHead.write(out, "HTTP/1.1 " + status + " " + reason(status), fields);
    if (!headRequest) {
      out.write(body);
    }
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 203 -> "Non-Authoritative Information";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 413 -> "Content Too Large";
      case 431 -> "Request Header Fields Too Large";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      case 410 -> "Gone";
      default -> status < 400 ? "" : "Error";
    };
  }

  private void record(
      String method,
      String url,
      int status,
      long size,
      String contentType,
      String sha256,
      boolean blocked,
      String error) {
    recorder.accept(
        new NetworkRecord(method, url, status, size, contentType, sha256, blocked, error));
  }

  // For a request whose target was rejected: the URL it would have had, else the raw target.
  private String bestEffortUrl(String target) {
    String url =
        tunnel != null && target.startsWith("/")
            ? "https://" + tunnel.toUrlAuthority(443) + target
            : target;
    return truncate(url);
  }

  private static String truncate(String target) {
    return target.length() <= MAX_RECORDED_TARGET
        ? target
        : target.substring(0, MAX_RECORDED_TARGET) + "...";
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return message == null ? kind : kind + ": " + message;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
