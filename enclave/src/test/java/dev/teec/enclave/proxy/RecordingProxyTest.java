package dev.teec.enclave.proxy;

import static dev.teec.enclave.proxy.Fixtures.awaitRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordingProxyTest {

  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private ProxyCa proxyCa;
  private ProxyCa upstreamCa;
  private TestServer upstream;
  private Fixtures.LocalConnector connector;
  private RecordingProxy proxy;
  private HttpClient client;

  @BeforeEach
  void start() throws IOException {
    proxyCa = Fixtures.newCa();
    upstreamCa = Fixtures.newCa();
    upstream = TestServer.https(upstreamCa.serverContext("localhost"));
    connector = new Fixtures.LocalConnector(Map.of());
    proxy = startProxy(RecordingProxy.builder(proxyCa).allowlist(HostAllowlist.of("localhost")));
    client = client(proxy);
  }

  private RecordingProxy startProxy(RecordingProxy.Builder builder) throws IOException {
    return builder
        .connector(connector)
        .upstreamTls(Fixtures.trusting(upstreamCa.certificate()))
        .readTimeout(Duration.ofSeconds(10))
        .start();
  }

  private HttpClient client(RecordingProxy p) {
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(p.address()))
        .sslContext(Fixtures.trusting(proxyCa.certificate()))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  private String https(String path) {
    return "https://localhost:" + upstream.port() + path;
  }

  private HttpResponse<byte[]> get(String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void get_https_recordsStatusSizeHashAndContentType() throws Exception {
    HttpResponse<byte[]> response = get(https("/file/100000?x=1"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(TestServer.content(100000));
    assertThat(awaitRecords(proxy, 1))
        .containsExactly(
            new NetworkRecord(
                "GET",
                https("/file/100000?x=1"),
                200,
                100000,
                "application/octet-stream",
                TestServer.sha256(TestServer.content(100000)),
                false,
                null));
  }

  @Test
  void get_chunkedUpstreamResponse_streamedAndHashedWhole() throws Exception {
    HttpResponse<byte[]> response = get(https("/chunked/54321"));

    assertThat(response.body()).isEqualTo(TestServer.content(54321));
    NetworkRecord r = awaitRecords(proxy, 1).get(0);
    assertThat(r.size()).isEqualTo(54321);
    assertThat(r.sha256()).isEqualTo(TestServer.sha256(TestServer.content(54321)));
    assertThat(r.contentType()).isEqualTo("text/plain");
  }

  @Test
  void post_fixedLengthBody_forwardedAndResponseRecorded() throws Exception {
    byte[] body = TestServer.content(70000);
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create(https("/echo")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.body()).isEqualTo(body);
    assertThat(response.headers().firstValue("X-Method")).hasValue("POST");
    assertThat(awaitRecords(proxy, 1))
        .containsExactly(
            new NetworkRecord(
                "POST",
                https("/echo"),
                200,
                70000,
                "application/x-echo",
                TestServer.sha256(body),
                false,
                null));
  }

  @Test
  void post_chunkedBody_forwardedWhole() throws Exception {
    byte[] body = TestServer.content(40000);
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create(https("/echo")))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.headers().firstValue("X-Request-Length")).hasValue("40000");
    assertThat(response.body()).isEqualTo(body);
    assertThat(awaitRecords(proxy, 1).get(0).sha256()).isEqualTo(TestServer.sha256(body));
  }

  @Test
  void head_https_keepsContentLengthAndRecordsEmptyBody() throws Exception {
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create(https("/file/500")))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Length")).hasValue("500");
    assertThat(awaitRecords(proxy, 1))
        .containsExactly(
            new NetworkRecord(
                "HEAD",
                https("/file/500"),
                200,
                0,
                "application/octet-stream",
                EMPTY_SHA256,
                false,
                null));
  }

  @Test
  void redirect_passedThroughAndEachHopRecorded() throws Exception {
    HttpClient following =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(proxy.address()))
            .sslContext(Fixtures.trusting(proxyCa.certificate()))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpResponse<byte[]> response =
        following.send(
            HttpRequest.newBuilder(URI.create(https("/redirect"))).build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(TestServer.content(10));
    assertThat(awaitRecords(proxy, 2))
        .extracting(NetworkRecord::url, NetworkRecord::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(https("/redirect"), 302),
            org.assertj.core.groups.Tuple.tuple(https("/file/10"), 200));
  }

  @Test
  void keepAlive_threeRequestsInOneTunnel_oneUpstreamConnectionAndThreeRecords() throws Exception {
    try (RawClient raw = new RawClient(proxy.address())) {
      assertThat(
              raw.connect("localhost", upstream.port(), Fixtures.trusting(proxyCa.certificate()))
                  .status())
          .isEqualTo(200);
      for (int n : new int[] {10, 20000, 30}) {
        raw.send("GET /file/" + n + " HTTP/1.1\r\nHost: localhost:" + upstream.port() + "\r\n\r\n");
        RawClient.Response r = raw.read(false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestServer.content(n));
      }
      raw.send("GET /chunked/5000 HTTP/1.1\r\nHost: localhost:" + upstream.port() + "\r\n\r\n");
      assertThat(raw.read(false).body()).isEqualTo(TestServer.content(5000));
    }
    assertThat(awaitRecords(proxy, 4))
        .extracting(NetworkRecord::size)
        .containsExactly(10L, 20000L, 30L, 5000L);
    assertThat(connector.connects).containsExactly("localhost:" + upstream.port());
  }

  @Test
  void plainHttp_absoluteForm_forwardedWithHostAndWithoutHopByHopFields() throws Exception {
    try (TestServer plain = TestServer.http()) {
      String url = "http://localhost:" + plain.port() + "/headers";
      try (RawClient raw = new RawClient(proxy.address())) {
        raw.send(
            "GET "
                + url
                + " HTTP/1.1\r\nHost: elsewhere\r\nProxy-Connection: keep-alive\r\n"
                + "Proxy-Authorization: Basic eDp5\r\nConnection: X-Secret\r\nX-Secret: 1\r\nX-Kept: 2\r\n\r\n");
        RawClient.Response r = raw.read(false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text())
            .contains("host: localhost:" + plain.port() + "\n", "x-kept: 2\n")
            .doesNotContain("proxy-", "x-secret", "elsewhere");
        // The same connection serves a second request.
        raw.send("GET http://localhost:" + plain.port() + "/file/7 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(raw.read(false).body()).isEqualTo(TestServer.content(7));
      }
      List<NetworkRecord> records = awaitRecords(proxy, 2);
      assertThat(records.get(0).url()).isEqualTo(url);
      assertThat(records.get(1))
          .isEqualTo(
              new NetworkRecord(
                  "GET",
                  "http://localhost:" + plain.port() + "/file/7",
                  200,
                  7,
                  "application/octet-stream",
                  TestServer.sha256(TestServer.content(7)),
                  false,
                  null));
    }
  }

  @Test
  void plainHttp_throughJdkClient_recorded() throws Exception {
    try (TestServer plain = TestServer.http()) {
      HttpResponse<byte[]> response = get("http://localhost:" + plain.port() + "/file/321");
      assertThat(response.body()).isEqualTo(TestServer.content(321));
      assertThat(awaitRecords(proxy, 1).get(0).url())
          .isEqualTo("http://localhost:" + plain.port() + "/file/321");
    }
  }

  @Test
  void blockedHost_https_answered403AndRecordedBlocked() throws Exception {
    String url = "https://127.0.0.1:" + upstream.port() + "/file/10";
    HttpResponse<byte[]> response = get(url);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .contains("127.0.0.1", "allowlist");
    NetworkRecord r = awaitRecords(proxy, 1).get(0);
    assertThat(r.blocked()).isTrue();
    assertThat(r.url()).isEqualTo(url);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.sha256()).isNull();
    assertThat(connector.connects).isEmpty();
  }

  @Test
  void blockedHost_plainHttp_answered403AndRecordedBlocked() throws Exception {
    try (RawClient raw = new RawClient(proxy.address())) {
      raw.send("GET http://blocked.example/x HTTP/1.1\r\nHost: blocked.example\r\n\r\n");
      assertThat(raw.read(false).status()).isEqualTo(403);
    }
    assertThat(awaitRecords(proxy, 1))
        .extracting(NetworkRecord::url, NetworkRecord::blocked)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("http://blocked.example/x", true));
    assertThat(connector.connects).isEmpty();
  }

  @Test
  void untrustedUpstreamCertificate_refusedWith502AndErrorRecorded() throws Exception {
    try (TestServer impostor = TestServer.https(Fixtures.newCa().serverContext("localhost"))) {
      String url = "https://localhost:" + impostor.port() + "/file/10";
      HttpResponse<byte[]> response = get(url);

      assertThat(response.statusCode()).isEqualTo(502);
      NetworkRecord r = awaitRecords(proxy, 1).get(0);
      assertThat(r.url()).isEqualTo(url);
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.complete()).isFalse();
      assertThat(r.error()).contains("cannot reach upstream", "PKIX");
    }
  }

  @Test
  void upstreamCertificateForAnotherName_refusedWith502() throws Exception {
    try (TestServer other = TestServer.https(upstreamCa.serverContext("other.example"))) {
      HttpResponse<byte[]> response = get("https://localhost:" + other.port() + "/file/10");

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(awaitRecords(proxy, 1).get(0).error())
          .containsIgnoringCase("localhost")
          .contains("match");
    }
  }

  @Test
  void connectorSeam_madeUpHostMappedToLocalServer_verifiedAgainstThatName() throws Exception {
    try (TestServer registry = TestServer.https(upstreamCa.serverContext("registry.test"))) {
      connector = new Fixtures.LocalConnector(Map.of("registry.test", registry.port()));
      try (RecordingProxy p =
          startProxy(RecordingProxy.builder(proxyCa).allowlist(HostAllowlist.of("*.test")))) {
        HttpResponse<byte[]> response =
            client(p)
                .send(
                    HttpRequest.newBuilder(URI.create("https://registry.test/file/64")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.body()).isEqualTo(TestServer.content(64));
        assertThat(awaitRecords(p, 1).get(0).url()).isEqualTo("https://registry.test/file/64");
        assertThat(connector.connects).containsExactly("registry.test:443");
      }
    }
  }

  @Test
  void oversizeResponseWithContentLength_refusedBeforeHeadersWith502() throws Exception {
    try (RecordingProxy small =
        startProxy(
            RecordingProxy.builder(proxyCa)
                .allowlist(HostAllowlist.of("localhost"))
                .maxResponseBytes(1000))) {
      HttpResponse<byte[]> response =
          client(small)
              .send(
                  HttpRequest.newBuilder(URI.create(https("/file/1001"))).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(new String(response.body(), StandardCharsets.UTF_8))
          .contains("exceeds the limit of 1000");
      NetworkRecord r = awaitRecords(small, 1).get(0);
      assertThat(r.error()).contains("1001 bytes exceeds the limit of 1000");
      assertThat(r.sha256()).isNull();
    }
  }

  @Test
  void oversizeChunkedResponse_cutOffSoClientSeesTruncationAndErrorRecorded() throws Exception {
    try (RecordingProxy small =
        startProxy(
            RecordingProxy.builder(proxyCa)
                .allowlist(HostAllowlist.of("localhost"))
                .maxResponseBytes(4096))) {
      HttpClient c = client(small);
      assertThatThrownBy(
              () ->
                  c.send(
                      HttpRequest.newBuilder(URI.create(https("/chunked/100000"))).build(),
                      HttpResponse.BodyHandlers.ofByteArray()))
          .isInstanceOf(IOException.class);
      NetworkRecord r = awaitRecords(small, 1).get(0);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.error()).contains("exceeds the limit of 4096");
      assertThat(r.size()).isLessThanOrEqualTo(4096);
      assertThat(r.complete()).isFalse();
    }
  }

  @Test
  void upstreamSpeakingOnlyTls12_fetchedAndRecorded() throws Exception {
    try (TestServer old = TestServer.https(upstreamCa.serverContext("localhost"), "TLSv1.2")) {
      String url = "https://localhost:" + old.port() + "/chunked/30000";
      assertThat(get(url).body()).isEqualTo(TestServer.content(30000));
      assertThat(awaitRecords(proxy, 1).get(0).sha256())
          .isEqualTo(TestServer.sha256(TestServer.content(30000)));
    }
  }

  @Test
  void largeResponse_streamedWithoutLoss() throws Exception {
    HttpResponse<byte[]> response = get(https("/file/5000000"));
    assertThat(response.body()).isEqualTo(TestServer.content(5_000_000));
    assertThat(awaitRecords(proxy, 1).get(0).sha256())
        .isEqualTo(TestServer.sha256(TestServer.content(5_000_000)));
  }

  @Test
  void nocontent_recordedWithEmptyBody() throws Exception {
    assertThat(get(https("/nocontent")).statusCode()).isEqualTo(204);
    assertThat(awaitRecords(proxy, 1).get(0).sha256()).isEqualTo(EMPTY_SHA256);
  }

  @Test
  void upstreamNotListening_502AndErrorRecorded() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HttpResponse<byte[]> response = get("https://localhost:" + port + "/x");
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(awaitRecords(proxy, 1).get(0).error())
        .contains("cannot connect to localhost:" + port);
  }

  @Test
  void clientDistrustingProxyCa_handshakeFailureRecordedForTheTunnel() throws Exception {
    HttpClient distrusting =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(proxy.address()))
            .sslContext(Fixtures.trusting(upstreamCa.certificate()))
            .build();
    assertThatThrownBy(
            () ->
                distrusting.send(
                    HttpRequest.newBuilder(URI.create(https("/file/1"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);
    NetworkRecord r = awaitRecords(proxy, 1).get(0);
    assertThat(r.method()).isEqualTo("CONNECT");
    assertThat(r.url()).isEqualTo("https://localhost:" + upstream.port());
    assertThat(r.status()).isZero();
    assertThat(r.error()).contains("client TLS handshake failed");
  }

  @Test
  void records_snapshotIsImmutableAndListenerSeesEachRecord() throws Exception {
    List<NetworkRecord> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (RecordingProxy p =
        startProxy(
            RecordingProxy.builder(proxyCa)
                .allowlist(HostAllowlist.of("localhost"))
                .listener(seen::add))) {
      client(p)
          .send(
              HttpRequest.newBuilder(URI.create(https("/file/3"))).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      List<NetworkRecord> records = awaitRecords(p, 1);
      assertThat(seen).isEqualTo(records);
      assertThatThrownBy(() -> records.add(records.get(0)))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
