package dev.teec.enclave.protocol.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.protocol.ErrorCode;
import dev.teec.enclave.protocol.transport.Connection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EgressPolicyTest {

  @Test
  void allowlist_parse_readsHostsIgnoringCommentsAndCase() {
    EgressAllowlist allowlist =
        EgressAllowlist.parse(
            """
                # Maven Central
                repo1.maven.org
                Index.Crates.IO   # sparse index

                static.crates.io
                """);

    assertThat(allowlist.hosts())
        .containsExactlyInAnyOrder("repo1.maven.org", "index.crates.io", "static.crates.io");
    assertThat(allowlist.ports()).containsExactlyInAnyOrder(80, 443);
    assertThat(allowlist.permits("index.crates.io", 443)).isTrue();
    assertThat(allowlist.permits("index.crates.io", 8443)).isFalse();
    assertThat(allowlist.permits("crates.io", 443)).isFalse();
    assertThat(allowlist.permits("x.index.crates.io", 443)).isFalse();
  }

  @Test
  void allowlist_parse_invalidHost_namesTheLine() {
    assertThatThrownBy(() -> EgressAllowlist.parse("good.org\n*.bad.org\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("*.bad.org");
  }

  @Test
  void allowlist_invalidPort_isRejected() {
    assertThatThrownBy(() -> new EgressAllowlist(Set.of("a.org"), Set.of(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EgressAllowlist(Set.of("A.org"), Set.of(443)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "8.8.8.8, true",
    "1.1.1.1, true",
    "2606:4700:4700::1111, true",
    "127.0.0.1, false",
    "10.1.2.3, false",
    "172.16.0.1, false",
    "192.168.1.1, false",
    "169.254.169.254, false",
    "100.64.0.1, false",
    "100.127.255.255, false",
    "0.0.0.0, false",
    "224.0.0.1, false",
    "255.255.255.255, false",
    "192.0.0.8, false",
    "198.18.0.1, false",
    "::1, false",
    "::, false",
    "fe80::1, false",
    "fd00:ec2::254, false",
    "fc00::1, false",
    "ff02::1, false",
    "::ffff:127.0.0.1, false",
    "100.63.255.255, true",
    "100.128.0.1, true"
  })
  void isPublic_classifiesAddresses(String address, boolean expected) throws UnknownHostException {
    assertThat(TcpUpstreamConnector.isPublic(InetAddress.getByName(address))).isEqualTo(expected);
  }

  @Test
  void tcpConnector_nameResolvingToPrivateAddresses_isRefused() {
    TcpUpstreamConnector connector =
        new TcpUpstreamConnector(
            host ->
                new InetAddress[] {
                  InetAddress.getByName("169.254.169.254"), InetAddress.getByName("10.0.0.1")
                },
            false);

    assertThatThrownBy(
            () ->
                connector.connect(
                    "metadata.test", 80, EgressForwarderTest.TIMEOUT, EgressForwarderTest.TIMEOUT))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("no public address")
        .hasMessageContaining("169.254.169.254");
  }

  @Test
  void tcpConnector_allowingNonPublic_connects() throws IOException {
    try (EchoServer echo = new EchoServer()) {
      TcpUpstreamConnector connector =
          new TcpUpstreamConnector(
              host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")}, true);

      try (Connection connection =
          connector.connect(
              "local.test",
              echo.port(),
              EgressForwarderTest.TIMEOUT,
              EgressForwarderTest.TIMEOUT)) {
        connection.output().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(connection.input().readNBytes(4))
            .isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(connection.peer()).isEqualTo("tcp:127.0.0.1:" + echo.port());
      }
    }
  }

  @Test
  void tcpConnector_silentUpstream_readTimesOut() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Connection connection =
            TcpUpstreamConnector.anyAddress()
                .connect(
                    "127.0.0.1",
                    silent.getLocalPort(),
                    EgressForwarderTest.TIMEOUT,
                    Duration.ofMillis(200))) {
      assertThatThrownBy(() -> connection.input().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void tcpConnector_nonPositiveTimeout_isRejected() {
    assertThatThrownBy(
            () ->
                TcpUpstreamConnector.anyAddress()
                    .connect("127.0.0.1", 1, Duration.ZERO, EgressForwarderTest.TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(
            () ->
                TcpUpstreamConnector.anyAddress()
                    .connect("127.0.0.1", 1, EgressForwarderTest.TIMEOUT, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readTimeout");
  }

  @Test
  void tcpConnector_unresolvableName_isUnknownHost() {
    TcpUpstreamConnector connector =
        new TcpUpstreamConnector(
            host -> {
              throw new UnknownHostException(host);
            },
            false);

    assertThatThrownBy(
            () ->
                connector.connect(
                    "nowhere.test", 443, EgressForwarderTest.TIMEOUT, EgressForwarderTest.TIMEOUT))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("cannot resolve upstream host nowhere.test");
  }

  @Test
  void tcpConnector_refusedEverywhere_namesTheTarget() {
    // Port 1 (tcpmux) is closed on any ordinary machine, and outside the ephemeral range a
    // reused port could fall into.
    TcpUpstreamConnector connector =
        new TcpUpstreamConnector(
            host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")}, true);

    assertThatThrownBy(
            () ->
                connector.connect(
                    "down.test", 1, EgressForwarderTest.TIMEOUT, EgressForwarderTest.TIMEOUT))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("down.test:1");
  }

  @Test
  void egressEvent_relayed_meansNoRefusal() {
    assertThat(new EgressEvent("p", "a:1", Optional.empty(), "ok").relayed()).isTrue();
    assertThat(new EgressEvent("p", "a:1", Optional.of(ErrorCode.DENIED), "no").relayed())
        .isFalse();
  }
}
