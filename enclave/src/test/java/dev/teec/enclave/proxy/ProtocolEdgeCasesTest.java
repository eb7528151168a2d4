package dev.teec.enclave.proxy;

import static dev.teec.enclave.proxy.Fixtures.awaitRecords;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.enclave.protocol.egress.EgressAllowlist;
import dev.teec.enclave.protocol.egress.EgressClient;
import dev.teec.enclave.protocol.egress.EgressForwarder;
import dev.teec.enclave.protocol.egress.TcpUpstreamConnector;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed, unusual and hostile exchanges on either side, driven byte by byte. */
class ProtocolEdgeCasesTest {

  private ProxyCa proxyCa;
  private ProxyCa upstreamCa;
  private TestServer upstream;
  private TestServer plain;
  private RecordingProxy proxy;
  @TempDir Path dir;

  @BeforeEach
  void start() throws IOException {
    proxyCa = Fixtures.newCa();
    upstreamCa = Fixtures.newCa();
    upstream = TestServer.https(upstreamCa.serverContext("localhost"));
    plain = TestServer.http();
    proxy = builder().start();
  }

  private RecordingProxy.Builder builder() {
    return RecordingProxy.builder(proxyCa)
        .allowlist(HostAllowlist.of("localhost"))
        .connector(new Fixtures.LocalConnector(Map.of()))
        .upstreamTls(Fixtures.trusting(upstreamCa.certificate()))
        .readTimeout(Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
    plain.close();
  }

  private RawClient raw() throws IOException {
    return new RawClient(proxy.address());
  }

  private String plainUrl(String path) {
    return "http://localhost:" + plain.port() + path;
  }

  @Test
  void malformedRequestLine_400AndClosed() throws Exception {
    try (RawClient c = raw()) {
      c.send("GARBAGE\r\n\r\n");
      RawClient.Response r = c.read(false);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("malformed request line");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void nonAsciiRequestTarget_400() throws Exception {
    try (RawClient c = raw()) {
      c.send("GET " + plainUrl("/caf\u00e9") + " HTTP/1.1\r\n\r\n");
      assertThat(c.read(false).text()).contains("not printable ASCII");
    }
  }

  @Test
  void unsupportedHttpVersion_505() throws Exception {
    try (RawClient c = raw()) {
      c.send("GET " + plainUrl("/file/1") + " HTTP/2.0\r\n\r\n");
      assertThat(c.read(false).status()).isEqualTo(505);
    }
  }

  @Test
  void originFormWithoutConnect_400NotAProxyRequest() throws Exception {
    try (RawClient c = raw()) {
      c.send("GET /file/1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
      RawClient.Response r = c.read(false);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("not a proxy request");
    }
    assertThat(awaitRecords(proxy, 1).get(0).url()).isEqualTo("/file/1");
  }

  @Test
  void httpsUrlWithoutConnect_400() throws Exception {
    try (RawClient c = raw()) {
      c.send(
          "GET https://localhost:"
              + upstream.port()
              + "/file/1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(c.read(false).text()).contains("through CONNECT");
    }
  }

  @Test
  void connectWithoutPort_400AndRecorded() throws Exception {
    try (RawClient c = raw()) {
      c.send("CONNECT localhost HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(c.read(false).status()).isEqualTo(400);
    }
    NetworkRecord r = awaitRecords(proxy, 1).get(0);
    assertThat(r.method()).isEqualTo("CONNECT");
    assertThat(r.error()).contains("port missing");
  }

  @Test
  void hostHeaderNotMatchingTunnel_400AndRecorded() throws Exception {
    try (RawClient c = raw()) {
      c.connect("localhost", upstream.port(), Fixtures.trusting(proxyCa.certificate()));
      c.send("GET /file/1 HTTP/1.1\r\nHost: evil.example\r\n\r\n");
      RawClient.Response r = c.read(false);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("does not match the tunnel");
    }
    assertThat(awaitRecords(proxy, 1).get(0).url())
        .isEqualTo("https://localhost:" + upstream.port() + "/file/1");
  }

  @Test
  void absoluteFormInsideTunnelForSameHost_accepted() throws Exception {
    try (RawClient c = raw()) {
      c.connect("localhost", upstream.port(), Fixtures.trusting(proxyCa.certificate()));
      c.send(
          "GET https://localhost:"
              + upstream.port()
              + "/file/9 HTTP/1.1\r\nHost: localhost:"
              + upstream.port()
              + "\r\n\r\n");
      assertThat(c.read(false).body()).isEqualTo(TestServer.content(9));
    }
  }

  @Test
  void contentLengthAndTransferEncodingTogether_400AndNothingForwarded() throws Exception {
    try (RawClient c = raw()) {
      c.send(
          "POST "
              + plainUrl("/echo")
              + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      RawClient.Response r = c.read(false);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("both Transfer-Encoding and Content-Length");
    }
  }

  @Test
  void unsupportedTransferEncoding_501() throws Exception {
    try (RawClient c = raw()) {
      c.send(
          "POST "
              + plainUrl("/echo")
              + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
      assertThat(c.read(false).status()).isEqualTo(501);
    }
  }

  @Test
  void expect100Continue_proxyInvitesBodyAndForwardsIt() throws Exception {
    try (RawClient c = raw()) {
      c.send(
          "POST "
              + plainUrl("/echo")
              + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertThat(c.readHead().startLine()).isEqualTo("HTTP/1.1 100 Continue");
      c.send("hello");
      RawClient.Response r = c.read(false);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("hello");
    }
  }

  @Test
  void chunkedRequestBodyWithExtensionsAndTrailer_forwardedDecoded() throws Exception {
    try (RawClient c = raw()) {
      c.send(
          "POST "
              + plainUrl("/echo")
              + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n");
      RawClient.Response r = c.read(false);
      assertThat(r.text()).isEqualTo("abcdefg");
      assertThat(r.head().first("X-Request-Length")).isEqualTo("7");
    }
  }

  @Test
  void requestBodyOverLimit_413WithoutReadingIt() throws Exception {
    try (RecordingProxy small = builder().maxRequestBodyBytes(10).start();
        RawClient c = new RawClient(small.address())) {
      c.send("POST " + plainUrl("/echo") + " HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n");
      assertThat(c.read(false).status()).isEqualTo(413);
      assertThat(awaitRecords(small, 1).get(0).error()).contains("exceeds the limit of 10");
    }
  }

  @Test
  void chunkedRequestBodyOverLimit_413() throws Exception {
    try (RecordingProxy small = builder().maxRequestBodyBytes(10).start();
        RawClient c = new RawClient(small.address())) {
      c.send(
          "POST "
              + plainUrl("/echo")
              + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "b\r\n0123456789a\r\n0\r\n\r\n");
      assertThat(c.read(false).status()).isEqualTo(413);
      assertThat(awaitRecords(small, 1).get(0).status()).isEqualTo(413);
    }
  }

  @Test
  void http10Client_chunkedUpstreamRelayedUntilCloseAndConnectionClosed() throws Exception {
    try (RawClient c = raw()) {
      c.send("GET " + plainUrl("/chunked/2500") + " HTTP/1.0\r\n\r\n");
      RawClient.Response r = c.read(false);
      assertThat(r.head().first("Transfer-Encoding")).isNull();
      assertThat(r.head().first("Connection")).isEqualTo("close");
      assertThat(r.body()).isEqualTo(TestServer.content(2500));
    }
    assertThat(awaitRecords(proxy, 1).get(0).size()).isEqualTo(2500);
  }

  @Test
  void upstreamBodyUntilClose_relayedChunkedAndHashed() throws Exception {
    try (FakeUpstream fake =
        new FakeUpstream(n -> "HTTP/1.0 200 OK\r\nContent-Type: a/b\r\n\r\nuntil close", false)) {
      try (RawClient c = raw()) {
        c.send("GET http://localhost:" + fake.port() + "/x HTTP/1.1\r\nHost: x\r\n\r\n");
        RawClient.Response r = c.read(false);
        assertThat(r.head().first("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(r.text()).isEqualTo("until close");
      }
      NetworkRecord r = awaitRecords(proxy, 1).get(0);
      assertThat(r.sha256()).isEqualTo(TestServer.sha256("until close".getBytes()));
      assertThat(r.contentType()).isEqualTo("a/b");
    }
  }

  @Test
  void upstreamMalformedStatusLine_502AndRecorded() throws Exception {
    try (FakeUpstream fake = new FakeUpstream(n -> "HTTP/1.1 OK\r\n\r\n", false);
        RawClient c = raw()) {
      c.send("GET http://localhost:" + fake.port() + "/x HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read(false).status()).isEqualTo(502);
      assertThat(awaitRecords(proxy, 1).get(0).error()).contains("malformed upstream status line");
    }
  }

  @Test
  void upstreamTruncatedBody_clientConnectionClosedAndErrorRecorded() throws Exception {
    try (FakeUpstream fake =
            new FakeUpstream(n -> "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", false);
        RawClient c = raw()) {
      c.send("GET http://localhost:" + fake.port() + "/x HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> c.read(false)))
          .isInstanceOf(IOException.class);
      NetworkRecord r = awaitRecords(proxy, 1).get(0);
      assertThat(r.error()).contains("after 3 body bytes", "3 of 10");
      assertThat(r.size()).isEqualTo(3);
    }
  }

  @Test
  void upstreamInterimResponses_skipped() throws Exception {
    try (FakeUpstream fake =
            new FakeUpstream(
                n ->
                    "HTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                false);
        RawClient c = raw()) {
      c.send("GET http://localhost:" + fake.port() + "/x HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read(false).text()).isEqualTo("ok");
    }
  }

  @Test
  void upstreamClosedKeptAliveConnection_requestRetriedOnFreshOne() throws Exception {
    // Announces keep-alive, then closes: the proxy's second request finds the connection dead.
    try (FakeUpstream fake =
            new FakeUpstream(n -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false);
        RawClient c = raw()) {
      for (int i = 0; i < 2; i++) {
        c.send("GET http://localhost:" + fake.port() + "/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.read(false).text()).isEqualTo("ok");
        Thread.sleep(50);
      }
      assertThat(awaitRecords(proxy, 2)).allMatch(NetworkRecord::complete);
      assertThat(fake.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void upstreamSilent_502AfterReadTimeout() throws Exception {
    try (FakeUpstream fake = new FakeUpstream(n -> null, false);
        RecordingProxy quick = builder().readTimeout(Duration.ofMillis(300)).start();
        RawClient c = new RawClient(quick.address())) {
      c.send("GET http://localhost:" + fake.port() + "/x HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read(false).status()).isEqualTo(502);
      assertThat(awaitRecords(quick, 1).get(0).error()).contains("SocketTimeoutException");
    }
  }

  @Test
  void upstreamSilentThroughEgressForwarder_502AfterReadTimeout() throws Exception {
    Acceptor acceptor = new UnixSocketTransport(dir.resolve("egress.sock")).listen();
    try (FakeUpstream fake = new FakeUpstream(n -> null, false);
        EgressForwarder forwarder =
            new EgressForwarder(
                acceptor,
                new EgressAllowlist(Set.of("localhost"), Set.of(fake.port())),
                TcpUpstreamConnector.anyAddress(),
                4,
                Thread::new,
                event -> {});
        RecordingProxy quick =
            builder()
                .connector(new EgressClient(acceptor.endpoint()))
                .readTimeout(Duration.ofMillis(300))
                .start();
        RawClient c = new RawClient(quick.address())) {
      forwarder.start();
      c.send("GET http://localhost:" + fake.port() + "/x HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read(false).status()).isEqualTo(502);
      assertThat(awaitRecords(quick, 1).get(0).error()).contains("SocketTimeoutException");
      assertThat(fake.connections).hasValue(1);
    }
  }

  @Test
  void maxConnectionsReached_extraConnection503() throws Exception {
    try (RecordingProxy one = builder().maxConnections(1).start();
        RawClient first = new RawClient(one.address())) {
      first.send("GET " + plainUrl("/file/1") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      first.read(false);
      try (RawClient second = new RawClient(one.address())) {
        assertThat(second.read(false).status()).isEqualTo(503);
      }
    }
  }

  @Test
  void close_abortsIdleClientConnections() throws Exception {
    try (Socket s = new Socket(proxy.address().getAddress(), proxy.address().getPort())) {
      s.setSoTimeout(5000);
      // Let the proxy accept the connection before closing.
      Thread.sleep(100);
      proxy.close();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void oversizedHeader_431() throws Exception {
    try (RawClient c = raw()) {
      StringBuilder b = new StringBuilder("GET " + plainUrl("/file/1") + " HTTP/1.1\r\n");
      for (int i = 0; i < 10; i++) {
        b.append("X-Big-").append(i).append(": ").append("a".repeat(8000)).append("\r\n");
      }
      c.send(b.append("\r\n").toString());
      assertThat(c.read(false).status()).isEqualTo(431);
    }
  }
}
