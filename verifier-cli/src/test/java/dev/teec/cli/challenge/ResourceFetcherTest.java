package dev.teec.cli.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.teec.enclave.proxy.ContentCache;
import dev.teec.enclave.proxy.RecordedResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceFetcherTest {
  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  private HttpServer server;
  private byte[] gzipped;

  @BeforeEach
  void start() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(HELLO);
    }
    gzipped = gz.toByteArray();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] body;
            int status = 200;
            switch (path) {
              case "/ok", "/ok-too" -> body = HELLO;
              case "/other" -> body = "other".getBytes(StandardCharsets.UTF_8);
              case "/gz" ->
                  body =
                      "gzip".equals(ex.getRequestHeaders().getFirst("Accept-Encoding"))
                          ? gzipped
                          : HELLO;
              default -> {
                status = 404;
                body = new byte[0];
              }
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private List<ResourceFetcher.Result> fetch(ContentCache cache, RecordedResponse... responses)
      throws Exception {
    return new ResourceFetcher(ResourceFetcher.defaultClient(), cache, 4, Duration.ofSeconds(10))
        .fetchAll(List.of(responses));
  }

  @Test
  void fetchAll_verifiesStoresAndThenFindsCached() throws Exception {
    ContentCache cache = new ContentCache(tmp.resolve("cache"));
    RecordedResponse ok =
        new RecordedResponse("GET", url("/ok"), 200, 5, "text/plain", sha256(HELLO));
    RecordedResponse sameBody =
        new RecordedResponse("GET", url("/ok-too"), 200, 5, null, sha256(HELLO));

    List<ResourceFetcher.Result> first = fetch(cache, ok, sameBody);

    assertThat(first)
        .extracting(ResourceFetcher.Result::outcome)
        .containsExactly(ResourceFetcher.Outcome.FETCHED, ResourceFetcher.Outcome.FETCHED);
    assertThat(Files.readAllBytes(cache.path(sha256(HELLO)))).isEqualTo(HELLO);
    assertThat(fetch(cache, ok))
        .extracting(ResourceFetcher.Result::outcome)
        .containsExactly(ResourceFetcher.Outcome.CACHED);
  }

  @Test
  void fetchAll_bodyNotTheRecordedOne_failedWithBothDigests_nothingStored() throws Exception {
    ContentCache cache = new ContentCache(tmp.resolve("cache"));
    RecordedResponse r = new RecordedResponse("GET", url("/other"), 200, 5, null, sha256(HELLO));

    ResourceFetcher.Result result = fetch(cache, r).get(0);

    assertThat(result.outcome()).isEqualTo(ResourceFetcher.Outcome.FAILED);
    assertThat(result.detail())
        .contains(sha256("other".getBytes(StandardCharsets.UTF_8)))
        .contains(sha256(HELLO));
    assertThat(cache.contains(sha256(HELLO))).isFalse();
  }

  @Test
  void fetchAll_recordedGzipBody_fetchedOnTheGzipRetry() throws Exception {
    ContentCache cache = new ContentCache(tmp.resolve("cache"));
    RecordedResponse r =
        new RecordedResponse("GET", url("/gz"), 200, gzipped.length, null, sha256(gzipped));

    assertThat(fetch(cache, r).get(0).outcome()).isEqualTo(ResourceFetcher.Outcome.FETCHED);
    assertThat(Files.readAllBytes(cache.path(sha256(gzipped)))).isEqualTo(gzipped);
  }

  @Test
  void fetchAll_otherStatus_failed() throws Exception {
    RecordedResponse r = new RecordedResponse("GET", url("/gone"), 200, 5, null, sha256(HELLO));

    ResourceFetcher.Result result = fetch(new ContentCache(tmp.resolve("cache")), r).get(0);

    assertThat(result.outcome()).isEqualTo(ResourceFetcher.Outcome.FAILED);
    assertThat(result.detail()).isEqualTo("status 404, the report records 200");
  }

  @Test
  void fetchAll_redirectPostAndHead_notFetched() throws Exception {
    String empty = sha256(new byte[0]);
    List<ResourceFetcher.Result> results =
        fetch(
            new ContentCache(tmp.resolve("cache")),
            new RecordedResponse("GET", url("/moved"), 302, 0, null, empty),
            new RecordedResponse("POST", url("/ok"), 200, 5, null, sha256(HELLO)),
            new RecordedResponse("HEAD", url("/ok"), 200, 0, null, empty));

    assertThat(results)
        .extracting(ResourceFetcher.Result::outcome)
        .containsExactly(
            ResourceFetcher.Outcome.UNREPLAYABLE,
            ResourceFetcher.Outcome.UNREPLAYABLE,
            ResourceFetcher.Outcome.NO_BODY);
    assertThat(results.get(0).detail()).contains("Location");
    assertThat(results.get(1).detail()).contains("POST requests are not fetched");
  }
}
