package dev.teec.enclave.proxy;

import static dev.teec.enclave.proxy.Fixtures.awaitRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.protocol.egress.UpstreamConnector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineReplayTest {
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @TempDir Path tmp;
  private ProxyCa proxyCa;
  private ProxyCa upstreamCa;
  private TestServer upstream;
  private final List<RecordingProxy> proxies = new ArrayList<>();

  /** Upstream connections a replaying proxy asked for: must stay empty. */
  private final List<String> upstreamCalls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    proxyCa = Fixtures.newCa();
    upstreamCa = Fixtures.newCa();
    upstream = TestServer.https(upstreamCa.serverContext("localhost"));
  }

  @AfterEach
  void stop() {
    proxies.forEach(RecordingProxy::close);
    upstream.close();
  }

  private RecordingProxy live() throws IOException {
    RecordingProxy p =
        RecordingProxy.builder(proxyCa)
            .allowlist(HostAllowlist.of("localhost"))
            .connector(new Fixtures.LocalConnector(Map.of()))
            .upstreamTls(Fixtures.trusting(upstreamCa.certificate()))
            .readTimeout(Duration.ofSeconds(10))
            .start();
    proxies.add(p);
    return p;
  }

  private RecordingProxy replaying(List<RecordedResponse> recorded, ContentCache cache)
      throws IOException {
    UpstreamConnector refusing =
        (host, port, connectTimeout, readTimeout) -> {
          upstreamCalls.add(host + ":" + port);
          throw new IOException("a replaying proxy must not connect upstream");
        };
    RecordingProxy p =
        RecordingProxy.builder(proxyCa)
            .allowlist(HostAllowlist.of("localhost"))
            .connector(refusing)
            .replay(OfflineReplay.of(recorded, cache))
            .readTimeout(Duration.ofSeconds(10))
            .start();
    proxies.add(p);
    return p;
  }

  private HttpClient client(RecordingProxy p) {
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(p.address()))
        .sslContext(Fixtures.trusting(proxyCa.certificate()))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private String https(String path) {
    return "https://localhost:" + upstream.port() + path;
  }

  private static HttpRequest request(String method, String url, byte[] body) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    return HttpRequest.newBuilder(URI.create(url))
        .method(method, publisher)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private static RecordedResponse recorded(NetworkRecord r) {
    return new RecordedResponse(
        r.method(), r.url(), r.status(), r.size(), r.contentType(), r.sha256());
  }

  /** The requests of a small "build", made through {@code p}; returns the responses. */
  private List<HttpResponse<byte[]>> session(RecordingProxy p) throws Exception {
    HttpClient client = client(p);
    List<HttpResponse<byte[]>> responses = new ArrayList<>();
    responses.add(
        client.send(
            request("GET", https("/file/100000?x=1"), null),
            HttpResponse.BodyHandlers.ofByteArray()));
    responses.add(
        client.send(
            request("GET", https("/chunked/5000"), null), HttpResponse.BodyHandlers.ofByteArray()));
    responses.add(
        client.send(
            request("HEAD", https("/file/500"), null), HttpResponse.BodyHandlers.ofByteArray()));
    responses.add(
        client.send(
            request("GET", https("/nocontent"), null), HttpResponse.BodyHandlers.ofByteArray()));
    responses.add(
        client.send(
            request("GET", https("/missing"), null), HttpResponse.BodyHandlers.ofByteArray()));
    responses.add(
        client.send(
            request("POST", https("/echo"), "hello".getBytes(StandardCharsets.UTF_8)),
            HttpResponse.BodyHandlers.ofByteArray()));
    responses.add(
        client.send(
            request("GET", https("/file/0"), null), HttpResponse.BodyHandlers.ofByteArray()));
    return responses;
  }

  @Test
  void replay_sameRequests_sameResponsesAndIdenticalRecords_withoutUpstream() throws Exception {
    RecordingProxy live = live();
    List<HttpResponse<byte[]>> original = session(live);
    List<NetworkRecord> originalRecords = awaitRecords(live, original.size());
    ContentCache cache = new ContentCache(tmp.resolve("cache"));
    for (int i = 0; i < original.size(); i++) {
      byte[] body = original.get(i).body();
      cache.store(TestServer.sha256(body), body.length, new ByteArrayInputStream(body));
    }

    RecordingProxy replay =
        replaying(originalRecords.stream().map(OfflineReplayTest::recorded).toList(), cache);
    List<HttpResponse<byte[]>> replayed = session(replay);
    List<NetworkRecord> replayRecords = awaitRecords(replay, original.size());

    assertThat(upstreamCalls).isEmpty();
    assertThat(replayRecords).allMatch(NetworkRecord::complete);
    assertThat(sorted(replayRecords)).isEqualTo(sorted(originalRecords));
    for (int i = 0; i < original.size(); i++) {
      assertThat(replayed.get(i).statusCode()).isEqualTo(original.get(i).statusCode());
      assertThat(replayed.get(i).body()).isEqualTo(original.get(i).body());
      assertThat(replayed.get(i).headers().firstValue("Content-Type"))
          .isEqualTo(original.get(i).headers().firstValue("Content-Type"));
    }
  }

  private static List<NetworkRecord> sorted(List<NetworkRecord> records) {
    return records.stream().sorted(NetworkRecord.CANONICAL_ORDER).toList();
  }

  @Test
  void replay_unrecordedRequest_404WithReason_notComplete() throws Exception {
    RecordingProxy replay = replaying(List.of(), new ContentCache(tmp.resolve("cache")));

    HttpResponse<String> response =
        client(replay)
            .send(request("GET", https("/file/10"), null), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body())
        .startsWith("teec proxy: offline replay: GET " + https("/file/10"))
        .contains("not among the original build's recorded network resources");
    NetworkRecord r = awaitRecords(replay, 1).get(0);
    assertThat(r.complete()).isFalse();
    assertThat(r.status()).isEqualTo(404);
    assertThat(upstreamCalls).isEmpty();
  }

  @Test
  void replay_bodyMissingFromCache_502NamesTheCache() throws Exception {
    String sha = TestServer.sha256(TestServer.content(10));
    RecordingProxy replay =
        replaying(
            List.of(new RecordedResponse("GET", https("/file/10"), 200, 10, null, sha)),
            new ContentCache(tmp.resolve("cache")));

    HttpResponse<String> response =
        client(replay)
            .send(request("GET", https("/file/10"), null), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body())
        .contains(sha)
        .contains("is not in the cache")
        .contains("teec challenge fetch");
    assertThat(upstreamCalls).isEmpty();
  }

  @Test
  void replay_corruptCacheEntry_bodyNeverDeliveredWhole() throws Exception {
    byte[] good = TestServer.content(100000);
    String sha = TestServer.sha256(good);
    ContentCache cache = new ContentCache(tmp.resolve("cache"));
    byte[] bad = good.clone();
    bad[99_999] ^= 1;
    Files.createDirectories(cache.directory());
    Files.write(cache.path(sha), bad);
    RecordingProxy replay =
        replaying(
            List.of(new RecordedResponse("GET", https("/f"), 200, good.length, null, sha)), cache);

    assertThatThrownBy(
            () ->
                client(replay)
                    .send(
                        request("GET", https("/f"), null), HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);
    NetworkRecord r = awaitRecords(replay, 1).get(0);
    assertThat(r.complete()).isFalse();
    assertThat(r.error()).contains("is not the recorded one");
  }

  @Test
  void replay_recordedRedirect_refusedBecauseLocationIsNotRecorded() throws Exception {
    RecordingProxy replay =
        replaying(
            List.of(new RecordedResponse("GET", https("/redirect"), 302, 0, null, EMPTY_SHA256)),
            new ContentCache(tmp.resolve("cache")));

    HttpResponse<String> response =
        client(replay)
            .send(request("GET", https("/redirect"), null), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("was a redirect (302)").contains("Location");
  }

  @Test
  void replay_sameRequestRecordedWithTwoResponses_refusedAsAmbiguous() throws Exception {
    String url = https("/f");
    RecordingProxy replay =
        replaying(
            List.of(
                new RecordedResponse("GET", url, 200, 0, null, EMPTY_SHA256),
                new RecordedResponse("GET", url, 500, 0, null, EMPTY_SHA256)),
            new ContentCache(tmp.resolve("cache")));

    HttpResponse<String> response =
        client(replay).send(request("GET", url, null), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("2 different responses");
  }

  @Test
  void replay_blockedHostStaysBlocked() throws Exception {
    RecordingProxy replay = replaying(List.of(), new ContentCache(tmp.resolve("cache")));

    HttpResponse<String> response =
        client(replay)
            .send(
                request("GET", "http://example.org/x", null), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(awaitRecords(replay, 1).get(0).blocked()).isTrue();
  }

  @Test
  void cacheStore_wrongDigest_nothingStored() throws Exception {
    ContentCache cache = new ContentCache(tmp.resolve("cache"));
    String sha = TestServer.sha256(TestServer.content(10));

    assertThatThrownBy(() -> cache.store(sha, 10, new ByteArrayInputStream(new byte[10])))
        .isInstanceOf(ContentCache.DigestMismatchException.class)
        .hasMessageContaining(sha);
    assertThat(cache.contains(sha)).isFalse();
    try (var files = Files.list(cache.directory())) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void cacheVerify_goodAbsentAndCorrupt() throws Exception {
    ContentCache cache = new ContentCache(tmp.resolve("cache"));
    byte[] body = TestServer.content(1000);
    String sha = TestServer.sha256(body);
    assertThat(cache.verify(sha, 1000)).isFalse();
    cache.store(sha, 1000, new ByteArrayInputStream(body));
    assertThat(cache.verify(sha, 1000)).isTrue();
    Files.write(cache.path(sha), new byte[1000]);
    assertThatThrownBy(() -> cache.verify(sha, 1000)).hasMessageContaining("is corrupt");
  }

  @Test
  void recordedResponse_headerInjectionInContentType_rejected() {
    assertThatThrownBy(
            () ->
                new RecordedResponse(
                    "GET", "https://h/x", 200, 0, "text/plain\r\nX-Evil: 1", EMPTY_SHA256))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
