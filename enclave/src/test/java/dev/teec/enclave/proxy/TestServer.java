package dev.teec.enclave.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An upstream server for the tests (JDK HttpServer / HttpsServer on loopback) with fixed routes:
 *
 * <ul>
 *   <li>{@code /file/N}: N deterministic bytes with Content-Length, application/octet-stream
 *   <li>{@code /chunked/N}: N bytes sent chunked in pieces, text/plain
 *   <li>{@code /echo}: the request body back, with X-Method and X-Request-Length
 *   <li>{@code /headers}: the request headers, one "name: value" line each, sorted
 *   <li>{@code /redirect}: 302 to /file/10
 *   <li>{@code /nocontent}: 204
 * </ul>
 */
final class TestServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "test-upstream");
            t.setDaemon(true);
            return t;
          });

  private TestServer(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** An HTTPS server presenting {@code tls}'s certificate. */
  static TestServer https(SSLContext tls) throws IOException {
    HttpsServer s =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new TestServer(s);
  }

  /**
   * An HTTPS server presenting {@code tls}'s certificate and speaking only the given TLS versions.
   */
  static TestServer https(SSLContext tls, String... protocols) throws IOException {
    HttpsServer s =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setProtocols(protocols);
            params.setSSLParameters(p);
          }
        });
    return new TestServer(s);
  }

  static TestServer http() throws IOException {
    return new TestServer(
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** N deterministic bytes: the body of /file/N and /chunked/N. */
  static byte[] content(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + i / 251);
    }
    return b;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      boolean head = ex.getRequestMethod().equals("HEAD");
      if (path.startsWith("/file/")) {
        byte[] body = content(Integer.parseInt(path.substring(6)));
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        if (head) {
          ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
          ex.sendResponseHeaders(200, -1);
          return;
        }
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      } else if (path.startsWith("/chunked/")) {
        byte[] body = content(Integer.parseInt(path.substring(9)));
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int off = 0; off < body.length; off += 1000) {
          out.write(body, off, Math.min(1000, body.length - off));
          out.flush();
        }
      } else if (path.equals("/echo")) {
        byte[] body = ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().set("Content-Type", "application/x-echo");
        ex.getResponseHeaders().set("X-Method", ex.getRequestMethod());
        ex.getResponseHeaders().set("X-Request-Length", Integer.toString(body.length));
        ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
      } else if (path.equals("/headers")) {
        Map<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sorted.putAll(ex.getRequestHeaders());
        StringBuilder b = new StringBuilder();
        sorted.forEach(
            (k, v) ->
                v.forEach(x -> b.append(k.toLowerCase()).append(": ").append(x).append('\n')));
        byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      } else if (path.equals("/redirect")) {
        ex.getResponseHeaders().set("Location", "/file/10");
        ex.sendResponseHeaders(302, -1);
      } else if (path.equals("/nocontent")) {
        ex.sendResponseHeaders(204, -1);
      } else {
        ex.sendResponseHeaders(404, -1);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
