package dev.teec.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A Maven repository served from a directory, for {@link MavenThroughProxy}. */
final class LocalMavenRepository {

  private LocalMavenRepository() {}

  /** Serves {@code repo} under /maven2/ over HTTPS with keep-alive, GET and HEAD. */
  static HttpsServer start(Path repo, String host, Path keystore) throws Exception {
    char[] password = "changeit".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(host, 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    ExecutorService threads =
        Executors.newFixedThreadPool(
            8,
            r -> {
              // Daemons: a failed run must end the harness, not leave the server serving.
              Thread t = new Thread(r, "bench-repository");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/maven2/", exchange -> serve(repo, exchange));
    server.start();
    return server;
  }

  private static void serve(Path repo, HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring("/maven2/".length());
      Path file = repo.resolve(path).normalize();
      boolean head = exchange.getRequestMethod().equals("HEAD");
      if (!file.startsWith(repo) || !Files.isRegularFile(file)) {
        byte[] body = "not found\n".getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(404, head ? -1 : body.length);
        if (!head) {
          exchange.getResponseBody().write(body);
        }
        return;
      }
      long size = Files.size(file);
      if (head) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
      try (OutputStream out = exchange.getResponseBody()) {
        Files.copy(file, out);
      }
    }
  }
}
