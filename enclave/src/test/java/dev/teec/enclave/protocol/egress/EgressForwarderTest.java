package dev.teec.enclave.protocol.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.protocol.EgressOk;
import dev.teec.enclave.protocol.EgressOpen;
import dev.teec.enclave.protocol.ErrorCode;
import dev.teec.enclave.protocol.ErrorFrame;
import dev.teec.enclave.protocol.FrameCodec;
import dev.teec.enclave.protocol.Protocol;
import dev.teec.enclave.protocol.RemoteErrorException;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.Connection;
import dev.teec.enclave.protocol.transport.LoopbackTcpTransport;
import dev.teec.enclave.protocol.transport.Transport;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EgressForwarderTest {

  /** Connect and read timeout for connections expected to work. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  static final ThreadFactory DAEMONS =
      r -> {
        Thread t = new Thread(r, "egress-test");
        t.setDaemon(true);
        return t;
      };

  @TempDir Path dir;

  private final List<EgressEvent> audit = new CopyOnWriteArrayList<>();
  private final AtomicInteger upstreamConnects = new AtomicInteger();
  private EchoServer echo;
  private EgressForwarder forwarder;

  @BeforeEach
  void startEcho() throws IOException {
    echo = new EchoServer();
  }

  @AfterEach
  void stop() throws IOException {
    if (forwarder != null) {
      forwarder.close();
    }
    echo.close();
  }

  /** Resolves the test's upstream names to the local echo server, whatever port is asked for. */
  private UpstreamConnector toEcho() {
    return (host, port, connectTimeout, readTimeout) -> {
      upstreamConnects.incrementAndGet();
      if (!host.equals("upstream.test")) {
        throw new ConnectException("no route to " + host);
      }
      return new LoopbackTcpTransport(echo.port()).connect();
    };
  }

  /**
   * Resolves every name to a loopback port where the kernel completes connections that nobody
   * accepts: an upstream that never sends a byte.
   */
  private UpstreamConnector toSilent(ServerSocket silent) {
    return (host, port, connectTimeout, readTimeout) ->
        TcpUpstreamConnector.anyAddress()
            .connect("127.0.0.1", silent.getLocalPort(), connectTimeout, readTimeout);
  }

  private Transport start(Transport listenOn, int maxConnections, UpstreamConnector upstream)
      throws IOException {
    return start(listenOn, maxConnections, upstream, EgressForwarder.UPSTREAM_IDLE_TIMEOUT);
  }

  private Transport start(
      Transport listenOn, int maxConnections, UpstreamConnector upstream, Duration idleTimeout)
      throws IOException {
    Acceptor acceptor = listenOn.listen();
    forwarder =
        new EgressForwarder(
            acceptor,
            new EgressAllowlist(
                Set.of("upstream.test", "unreachable.test"), EgressAllowlist.WEB_PORTS),
            upstream,
            maxConnections,
            DAEMONS,
            audit::add,
            idleTimeout);
    forwarder.start();
    return acceptor.endpoint();
  }

  @Test
  void connect_allowedHost_relaysBothWaysOverUnixSocket() throws Exception {
    Transport endpoint = start(new UnixSocketTransport(dir.resolve("egress.sock")), 4, toEcho());

    try (Connection upstream =
        new EgressClient(endpoint).connect("upstream.test", 443, TIMEOUT, TIMEOUT)) {
      assertEcho(upstream, "GET / HTTP/1.1\r\n\r\n");
      assertEcho(upstream, "x".repeat(100_000));
    }
    assertThat(audit)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.relayed()).isTrue();
              assertThat(e.target()).isEqualTo("upstream.test:443");
            });
  }

  @Test
  void connect_allowedHost_relaysOverLoopbackTcp() throws Exception {
    Transport endpoint = start(new LoopbackTcpTransport(0), 4, toEcho());

    try (Connection upstream =
        new EgressClient(endpoint).connect("upstream.test", 80, TIMEOUT, TIMEOUT)) {
      assertEcho(upstream, "hello");
    }
  }

  @Test
  void connect_silentUpstream_readTimesOutInTheEnclave() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      Transport endpoint =
          start(new UnixSocketTransport(dir.resolve("egress.sock")), 4, toSilent(silent));

      try (Connection upstream =
          new EgressClient(endpoint)
              .connect("upstream.test", 443, TIMEOUT, Duration.ofMillis(300))) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> upstream.input().read())
            .isInstanceOf(SocketTimeoutException.class)
            .hasMessageContaining("PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isGreaterThanOrEqualTo(Duration.ofMillis(300));
      }
    }
  }

  @Test
  void connect_forwarderNeverAnswers_failsAfterTheConnectTimeout() throws Exception {
    try (Acceptor mute = new UnixSocketTransport(dir.resolve("mute.sock")).listen()) {
      Thread accepting =
          DAEMONS.newThread(
              () -> {
                try {
                  mute.accept(); // and never answer
                } catch (IOException e) {
                  // closed at the end of the test
                }
              });
      accepting.start();

      assertThatThrownBy(
              () ->
                  new EgressClient(mute.endpoint())
                      .connect("upstream.test", 443, Duration.ofMillis(300), TIMEOUT))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("did not connect to upstream.test:443 within PT0.3S");
    }
  }

  @Test
  void relay_upstreamSilentPastTheIdleTimeout_endsTheRelay() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      Transport endpoint =
          start(
              new UnixSocketTransport(dir.resolve("egress.sock")),
              4,
              toSilent(silent),
              Duration.ofMillis(300));

      try (Connection upstream =
          new EgressClient(endpoint).connect("upstream.test", 443, TIMEOUT, TIMEOUT)) {
        int read;
        try {
          read = upstream.input().read();
        } catch (SocketTimeoutException e) {
          throw e;
        } catch (IOException e) {
          read = -1;
        }
        assertThat(read).isEqualTo(-1);
      }
      await(() -> forwarder.activeConnections() == 0);
    }
  }

  @Test
  void connect_hostNotOnAllowlist_isDeniedWithoutConnecting() throws Exception {
    Transport endpoint = start(new UnixSocketTransport(dir.resolve("egress.sock")), 4, toEcho());

    for (String host :
        List.of("evil.test", "evil-upstream.test", "upstream.test.evil.org", "sub.upstream.test")) {
      assertThatThrownBy(() -> new EgressClient(endpoint).connect(host, 443, TIMEOUT, TIMEOUT))
          .isInstanceOfSatisfying(
              RemoteErrorException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.DENIED);
                assertThat(e.frame().message()).contains(host + ":443").contains("allowlist");
              });
    }
    assertThat(upstreamConnects).hasValue(0);
    assertThat(audit)
        .hasSize(4)
        .allSatisfy(e -> assertThat(e.refusal()).contains(ErrorCode.DENIED));
  }

  @Test
  void connect_portNotAllowed_isDenied() throws Exception {
    Transport endpoint = start(new UnixSocketTransport(dir.resolve("egress.sock")), 4, toEcho());

    assertThatThrownBy(
            () -> new EgressClient(endpoint).connect("upstream.test", 22, TIMEOUT, TIMEOUT))
        .isInstanceOfSatisfying(
            RemoteErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DENIED));
    assertThat(upstreamConnects).hasValue(0);
  }

  @Test
  void connect_upstreamUnreachable_saysSo() throws Exception {
    Transport endpoint = start(new UnixSocketTransport(dir.resolve("egress.sock")), 4, toEcho());

    assertThatThrownBy(
            () -> new EgressClient(endpoint).connect("unreachable.test", 443, TIMEOUT, TIMEOUT))
        .isInstanceOfSatisfying(
            RemoteErrorException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNREACHABLE);
              assertThat(e.frame().message()).contains("no route to unreachable.test");
            });
  }

  @Test
  void connect_invalidHost_isRejectedBeforeConnecting() throws Exception {
    Transport endpoint = start(new UnixSocketTransport(dir.resolve("egress.sock")), 4, toEcho());

    assertThatThrownBy(
            () -> new EgressClient(endpoint).connect("Upstream.Test", 443, TIMEOUT, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(audit).isEmpty();
  }

  @Test
  void connect_atCapacity_isBusyUntilASlotFrees() throws Exception {
    Transport endpoint = start(new UnixSocketTransport(dir.resolve("egress.sock")), 1, toEcho());
    Connection first = new EgressClient(endpoint).connect("upstream.test", 443, TIMEOUT, TIMEOUT);

    assertThatThrownBy(
            () -> new EgressClient(endpoint).connect("upstream.test", 443, TIMEOUT, TIMEOUT))
        .isInstanceOfSatisfying(
            RemoteErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY));
    assertThat(forwarder.activeConnections()).isEqualTo(1);

    first.close();
    await(() -> forwarder.activeConnections() == 0);
    try (Connection again =
        new EgressClient(endpoint).connect("upstream.test", 443, TIMEOUT, TIMEOUT)) {
      assertEcho(again, "again");
    }
  }

  @Test
  void header_malformedOrUnexpectedOrOtherVersion_isAnsweredWithItsCode() throws Exception {
    Transport endpoint = start(new UnixSocketTransport(dir.resolve("egress.sock")), 4, toEcho());
    FrameCodec codec = new FrameCodec();

    try (Connection raw = endpoint.connect()) {
      raw.output().write(new byte[] {0, 0, 0, 2, (byte) 0xa1, (byte) 0xff});
      assertThat(codec.read(raw.input()))
          .isInstanceOfSatisfying(
              ErrorFrame.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME));
    }
    try (Connection raw = endpoint.connect()) {
      codec.write(raw.output(), new EgressOk());
      assertThat(codec.read(raw.input()))
          .isInstanceOfSatisfying(
              ErrorFrame.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME));
    }
    try (Connection raw = endpoint.connect()) {
      codec.write(raw.output(), new EgressOpen(Protocol.VERSION + 1, "upstream.test", 443));
      assertThat(codec.read(raw.input()))
          .isInstanceOfSatisfying(
              ErrorFrame.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION));
    }
    try (Connection raw = endpoint.connect()) {
      raw.output().write(new byte[] {0x7f, 0, 0, 0});
      assertThat(codec.read(raw.input()))
          .isInstanceOfSatisfying(
              ErrorFrame.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
    }
    assertThat(upstreamConnects).hasValue(0);
    await(() -> forwarder.activeConnections() == 0);
  }

  @Test
  void relay_halfClose_isPassedOnAndBothEndsCloseAfterwards() throws Exception {
    Transport endpoint = start(new UnixSocketTransport(dir.resolve("egress.sock")), 4, toEcho());

    try (Connection upstream =
        new EgressClient(endpoint).connect("upstream.test", 443, TIMEOUT, TIMEOUT)) {
      upstream.output().write("last words".getBytes(StandardCharsets.US_ASCII));
      upstream.shutdownOutput();

      assertThat(new String(upstream.input().readAllBytes(), StandardCharsets.US_ASCII))
          .isEqualTo("last words");
    }
    await(() -> forwarder.activeConnections() == 0);
  }

  @Test
  void close_endsActiveRelays() throws Exception {
    Transport endpoint = start(new UnixSocketTransport(dir.resolve("egress.sock")), 4, toEcho());
    Connection upstream =
        new EgressClient(endpoint).connect("upstream.test", 443, TIMEOUT, TIMEOUT);

    forwarder.close();

    int read;
    try {
      read = upstream.input().read();
    } catch (IOException e) {
      read = -1;
    }
    assertThat(read).isEqualTo(-1);
    await(() -> forwarder.activeConnections() == 0);
    assertThatThrownBy(() -> endpoint.connect()).isInstanceOf(IOException.class);
    upstream.close();
  }

  @Test
  void constructor_badLimits_areRejected() throws IOException {
    try (Acceptor acceptor = new LoopbackTcpTransport(0).listen()) {
      EgressAllowlist allowlist = EgressAllowlist.of(List.of("a.test"));
      assertThatThrownBy(
              () -> new EgressForwarder(acceptor, allowlist, toEcho(), 0, DAEMONS, e -> {}))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static void assertEcho(Connection connection, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    connection.output().write(bytes);
    assertThat(connection.input().readNBytes(bytes.length)).isEqualTo(bytes);
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 10 s");
      }
      Thread.sleep(10);
    }
  }
}
