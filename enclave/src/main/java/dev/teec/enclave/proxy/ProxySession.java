package dev.teec.enclave.proxy;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Serves one client connection of the recording proxy: plain-HTTP proxy requests in absolute form,
 * or a CONNECT tunnel in which the proxy terminates TLS with a certificate from the build's CA and
 * then serves origin-form requests for the tunnel's host. Every request ends in exactly one {@link
 * NetworkRecord}. Runs on one thread. Where a request goes is {@link RequestTarget}'s decision, the
 * kept-alive upstream connection {@link UpstreamPool}'s, the response {@link ResponseRelay}'s.
 */
final class ProxySession {

  static final int COPY_BUFFER = 32 * 1024;
  private static final Set<String> DROPPED_REQUEST_FIELDS = Set.of("host", "expect");

  private final ProxySettings settings;
  private final Consumer<NetworkRecord> recorder;
  private final Socket socket;
  private final UpstreamPool upstream;
  private final ResponseRelay relay;
  private HttpInput in;
  private OutputStream out;
  // Non-null inside a CONNECT tunnel: the only authority requests may address.
  private Hosts.Authority tunnel;

  /** Reading the client's request body failed (broken framing, over the limit, disconnect). */
  private static final class ClientGone extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ClientGone(int status, String message, IOException cause) {
      super(message, cause);
      this.status = status;
    }
  }

  /**
   * @param track called with each upstream connection opened, so the proxy can abort it on shutdown
   * @param untrack called when that connection is closed
   */
  ProxySession(
      ProxySettings settings,
      Consumer<NetworkRecord> recorder,
      Consumer<Closeable> track,
      Consumer<Closeable> untrack,
      Socket socket)
      throws IOException {
    this.settings = settings;
    this.recorder = recorder;
    this.socket = socket;
    this.upstream = new UpstreamPool(settings, track, untrack);
    this.relay = new ResponseRelay(settings, upstream, recorder);
    this.in = new HttpInput(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream(), COPY_BUFFER);
  }

  /** Serves requests until either side closes; never throws for network or protocol failures. */
  void run() {
    try {
      while (true) {
        HttpHead head;
        RequestTarget.Line line;
        try {
          head = HttpHead.read(in, 400);
          if (head == null) {
            return;
          }
          line = RequestTarget.Line.parse(head.startLine());
        } catch (HttpException e) {
          respondError(e.status(), e.getMessage(), false, false);
          return;
        }
        boolean keepAlive =
            line.method().equals("CONNECT") ? openTunnel(line) : exchange(line, head);
        if (!keepAlive) {
          return;
        }
      }
    } catch (IOException e) {
      // The client disconnected or timed out: there is nobody left to answer.
    } finally {
      upstream.close();
    }
  }

  // ---- CONNECT ----------------------------------------------------------------------------------

  private boolean openTunnel(RequestTarget.Line line) throws IOException {
    if (tunnel != null) {
      respondError(400, "CONNECT inside a CONNECT tunnel", false, false);
      return false;
    }
    Hosts.Authority authority;
    try {
      authority = Hosts.parseAuthority(line.target(), -1);
    } catch (IllegalArgumentException e) {
      String why = "bad CONNECT target: " + e.getMessage();
      record(NetworkRecord.failed("CONNECT", RequestTarget.truncate(line.target()), 400, why));
      respondError(400, why, false, false);
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
          NetworkRecord.failed(
              "CONNECT",
              "https://" + authority.toUrlAuthority(443),
              0,
              "client TLS handshake failed (does the toolchain trust the build CA?): "
                  + e.getMessage()));
      return false;
    }
    in = new HttpInput(tls.getInputStream());
    out = new BufferedOutputStream(tls.getOutputStream(), COPY_BUFFER);
    tunnel = authority;
    return true;
  }

  // ---- one request ------------------------------------------------------------------------------

  private boolean exchange(RequestTarget.Line line, HttpHead head) throws IOException {
    String method = line.method();
    boolean isHead = method.equals("HEAD");
    boolean clientKeepAlive =
        line.http11()
            && !head.lists("Connection", "close")
            && !head.lists("Proxy-Connection", "close");
    RequestTarget target;
    try {
      target = RequestTarget.resolve(line, head, tunnel);
    } catch (HttpException e) {
      String url = RequestTarget.bestEffortUrl(line.target(), tunnel);
      return refuse(method, url, e.status(), e.getMessage(), false, isHead);
    }
    String url = target.url();
    long requestLength;
    try {
      requestLength = Bodies.declaredLength(head, 400);
    } catch (HttpException e) {
      return refuse(method, url, e.status(), e.getMessage(), false, isHead);
    }
    boolean hasBody = requestLength != 0;
    if (!settings.allowlist().allows(target.authority().host())) {
      String why = "host " + target.authority().host() + " is not on the build's allowlist";
      record(NetworkRecord.denied(method, url, why));
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
      return refuse(method, url, 413, why, false, isHead);
    }
    if (hasBody && head.lists("Expect", "100-continue")) {
      // Expect is not forwarded: the proxy itself takes the body, so it invites it now.
      try {
        out.write(HttpInput.ascii("HTTP/1.1 100 Continue\r\n\r\n"));
        out.flush();
      } catch (IOException e) {
        record(NetworkRecord.failed(method, url, 0, ResponseRelay.clientGone(e)));
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
        reused = upstream.connect(target, hasBody);
      } catch (IOException e) {
        String why =
            "cannot reach upstream "
                + target.authority().toUrlAuthority(target.defaultPort())
                + ": "
                + ProxyResponses.describe(e);
        return refuse(method, url, 502, why, clientKeepAlive && !hasBody, isHead);
      }
      try {
        sendRequest(line, head, target, requestLength);
        response = relay.readHead();
        break;
      } catch (ClientGone e) {
        upstream.close();
        return refuseQuietly(method, url, e, isHead);
      } catch (IOException e) {
        upstream.close();
        // A kept-alive upstream connection may have been closed by the server meanwhile.
        if (reused && !hasBody && attempt == 0) {
          continue;
        }
        String why = "upstream failed: " + ProxyResponses.describe(e);
        return refuse(method, url, 502, why, clientKeepAlive && !hasBody, isHead);
      }
    }
    return relay.relay(out, method, url, line.http11(), clientKeepAlive, response);
  }

  private void sendRequest(
      RequestTarget.Line line, HttpHead head, RequestTarget target, long length)
      throws IOException {
    List<HttpHead.Field> fields = new ArrayList<>();
    fields.add(new HttpHead.Field("Host", target.authority().toUrlAuthority(target.defaultPort())));
    fields.addAll(head.endToEnd(DROPPED_REQUEST_FIELDS));
    if (length == Bodies.CHUNKED) {
      fields.add(new HttpHead.Field("Transfer-Encoding", "chunked"));
    } else if (length > 0 || head.first("Content-Length") != null) {
      fields.add(new HttpHead.Field("Content-Length", Long.toString(length)));
    }
    OutputStream upstreamOut = upstream.out();
    HttpHead.write(upstreamOut, line.method() + " " + target.pathAndQuery() + " HTTP/1.1", fields);
    if (length == Bodies.CHUNKED) {
      Bodies.ChunkedOutput chunked = new Bodies.ChunkedOutput(upstreamOut);
      copyRequestBody(new Bodies.ChunkedInput(in, 400), chunked);
      chunked.finish();
    } else if (length > 0) {
      copyRequestBody(new Bodies.FixedInput(in, length), upstreamOut);
    }
    upstreamOut.flush();
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
            "client request body broken: " + ProxyResponses.describe(e),
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
        return refuseQuietly(method, url, e, isHead);
      }
    }
    OfflineReplay.Answer answer;
    try {
      answer = settings.replay().answer(method, url);
    } catch (HttpException e) {
      return refuse(method, url, e.status(), e.getMessage(), clientKeepAlive, isHead);
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
        HttpHead.write(
            out, "HTTP/1.1 " + r.status() + " " + ProxyResponses.reason(r.status()), fields);
        answer.writeBody(out);
        out.flush();
      } catch (HttpException e) {
        // Short of Content-Length: the client sees a truncated response.
        record(NetworkRecord.failed(method, url, r.status(), 0, r.contentType(), e.getMessage()));
        return false;
      } catch (IOException e) {
        record(
            NetworkRecord.failed(
                method, url, r.status(), 0, r.contentType(), ResponseRelay.clientGone(e)));
        return false;
      }
      record(
          NetworkRecord.completed(method, url, r.status(), r.size(), r.contentType(), r.sha256()));
      return clientKeepAlive;
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** Records a request that got no upstream response and answers it with {@code status}. */
  private boolean refuse(
      String method, String url, int status, String why, boolean keepAlive, boolean isHead)
      throws IOException {
    record(NetworkRecord.failed(method, url, status, why));
    respondError(status, why, keepAlive, isHead);
    return keepAlive;
  }

  /** Like {@link #refuse} for a client whose request body broke: it may be gone already. */
  private boolean refuseQuietly(String method, String url, ClientGone e, boolean isHead) {
    record(NetworkRecord.failed(method, url, e.status, e.getMessage()));
    try {
      respondError(e.status, e.getMessage(), false, isHead);
    } catch (IOException ignored) {
      // The client may be gone: the record above is all that is left to do.
    }
    return false;
  }

  private void respondError(int status, String message, boolean keepAlive, boolean headRequest)
      throws IOException {
    ProxyResponses.error(out, status, message, keepAlive, headRequest);
  }

  private void record(NetworkRecord record) {
    recorder.accept(record);
  }
}
