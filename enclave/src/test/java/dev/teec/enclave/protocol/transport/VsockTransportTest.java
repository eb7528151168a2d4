package dev.teec.enclave.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VsockTransportTest {

  @Test
  void sockaddrVm_parentCidAndPort_hasTheKernelLayout() {
    byte[] little = Vsock.sockaddr(3, 8001, ByteOrder.LITTLE_ENDIAN);

    // svm_family=40 (u16), svm_reserved1=0 (u16), svm_port=8001 (u32), svm_cid=3 (u32),
    // flags+zero[3]
    assertThat(HexFormat.of().formatHex(little))
        .isEqualTo("2800" + "0000" + "411f0000" + "03000000" + "00000000");
    assertThat(Vsock.sockaddr(3, 8001, ByteOrder.BIG_ENDIAN)).hasSize(16);
    assertThat(
            HexFormat.of()
                .formatHex(
                    Vsock.sockaddr(
                        VsockTransport.CID_ANY, VsockTransport.PORT_ANY, ByteOrder.LITTLE_ENDIAN)))
        .isEqualTo("28000000ffffffffffffffff00000000");
  }

  @Test
  void sockaddrVm_decode_readsUnsignedCidAndPort() {
    long[] cidAndPort = Vsock.cidAndPort(Vsock.sockaddr(0xFFFF_FFFEL, 0x8000_0001L));

    assertThat(cidAndPort).containsExactly(0xFFFF_FFFEL, 0x8000_0001L);
  }

  @Test
  void constants_matchLinux() {
    assertThat(Vsock.AF_VSOCK).isEqualTo(40);
    assertThat(Vsock.SOCK_STREAM).isEqualTo(1);
    assertThat(Vsock.SOCK_CLOEXEC).isEqualTo(02000000);
    assertThat(Vsock.MSG_NOSIGNAL).isEqualTo(0x4000);
    assertThat(Vsock.SHUT_WR).isEqualTo(1);
    assertThat(Vsock.SHUT_RDWR).isEqualTo(2);
    assertThat(Vsock.SOCKADDR_VM_BYTES).isEqualTo(16);
    assertThat(VsockTransport.CID_NITRO_PARENT).isEqualTo(3);
    assertThat(VsockTransport.CID_HOST).isEqualTo(2);
    assertThat(VsockTransport.CID_ANY).isEqualTo(0xFFFF_FFFFL);
    assertThat(Vsock.pollIn(7)).hasSize(8);
  }

  @Test
  void connect_callsSocketAndConnectWithTheAddress() throws IOException {
    FakeLibc libc = new FakeLibc();

    Connection connection = new VsockTransport(3, 8001, libc).connect();

    assertThat(libc.calls).containsExactly("socket(40," + (1 | 0x80000) + ",0)", "connect(10,16)");
    assertThat(libc.addresses.get(0)).isEqualTo(Vsock.sockaddr(3, 8001));
    assertThat(connection.peer()).isEqualTo("vsock:3:8001");
  }

  @Test
  void connect_refused_isConnectExceptionNamingErrnoAndClosesTheSocket() {
    FakeLibc libc = new FakeLibc().failWith("connect", 111);

    assertThatThrownBy(() -> new VsockTransport(3, 8001, libc).connect())
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("connect(vsock:3:8001)")
        .hasMessageContaining("errno 111 (ECONNREFUSED)");
    assertThat(libc.calls).endsWith("close(10)");
  }

  @Test
  void socket_unsupported_saysSoClearly() {
    FakeLibc libc = new FakeLibc().failWith("socket", 97);

    assertThatThrownBy(() -> new VsockTransport(3, 8001, libc).connect())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("EAFNOSUPPORT")
        .hasMessageContaining("vsock-capable");
  }

  @Test
  void read_retriesOnEintrAndReportsEndOfStream() throws IOException {
    FakeLibc libc = new FakeLibc().failWith("recv", 4);
    libc.incoming.add("hello".getBytes(StandardCharsets.US_ASCII));
    Connection connection = new VsockTransport(3, 8001, libc).connect();
    byte[] buffer = new byte[10];

    int n = connection.input().read(buffer, 2, 8);

    assertThat(n).isEqualTo(5);
    assertThat(new String(buffer, 2, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
    assertThat(connection.input().read()).isEqualTo(-1);
    assertThat(libc.callsStartingWith("recv(10,8,")).hasSize(2);
  }

  @Test
  void read_connectionReset_isIOException() throws IOException {
    FakeLibc libc = new FakeLibc().failWith("recv", 104);
    Connection connection = new VsockTransport(3, 8001, libc).connect();

    assertThatThrownBy(() -> connection.input().read())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ECONNRESET");
  }

  @Test
  void write_sendsEverythingWithNoSignalAcrossPartialWrites() throws IOException {
    FakeLibc libc = new FakeLibc().failWith("send", 4);
    libc.maxSendPerCall = 3;
    Connection connection = new VsockTransport(3, 8001, libc).connect();

    connection.output().write("xxabcdefgyy".getBytes(StandardCharsets.US_ASCII), 2, 7);

    assertThat(libc.sent.toString(StandardCharsets.US_ASCII)).isEqualTo("abcdefg");
    assertThat(libc.callsStartingWith("send(")).allMatch(c -> c.endsWith("," + 0x4000 + ")"));
  }

  @Test
  void write_largerThan16KiB_sentInPiecesOfAtMost16KiB() throws IOException {
    FakeLibc libc = new FakeLibc();
    Connection connection = new VsockTransport(3, 8001, libc).connect();
    byte[] frame = new byte[40 * 1024 + 7];
    java.util.Arrays.fill(frame, (byte) 'x');

    connection.output().write(frame);
    connection.output().flush();

    assertThat(libc.sent.size()).isEqualTo(frame.length);
    assertThat(libc.callsStartingWith("send("))
        .extracting(c -> Long.parseLong(c.split(",")[1]))
        .containsExactly(16384L, 16384L, 8199L);
  }

  @Test
  void write_brokenPipe_isIOException() throws IOException {
    FakeLibc libc = new FakeLibc().failWith("send", 32);
    Connection connection = new VsockTransport(3, 8001, libc).connect();

    assertThatThrownBy(() -> connection.output().write(1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("EPIPE");
  }

  @Test
  void close_shutsDownThenClosesOnce_andLaterCallsFail() throws IOException {
    FakeLibc libc = new FakeLibc();
    Connection connection = new VsockTransport(3, 8001, libc).connect();

    connection.close();
    connection.close();

    assertThat(libc.callsStartingWith("shutdown")).containsExactly("shutdown(10,2)");
    assertThat(libc.callsStartingWith("close")).containsExactly("close(10)");
    assertThatThrownBy(() -> connection.input().read())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void close_duringBlockedRead_wakesItAndClosesTheDescriptorOnlyAfterwards() throws Exception {
    FakeLibc libc = new FakeLibc();
    libc.blockRecvUntilShutdown = new CountDownLatch(1);
    Connection connection = new VsockTransport(3, 8001, libc).connect();
    InputStream in = connection.input();
    CompletableFuture<Integer> read =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return in.read();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(libc.recvEntered.await(5, TimeUnit.SECONDS)).isTrue();

    connection.close();

    assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    assertThat(libc.calls).containsSubsequence("shutdown(10,2)", "recv-returns(10)", "close(10)");
    assertThat(libc.callsStartingWith("close")).hasSize(1);
  }

  @Test
  void shutdownOutput_isShutWr() throws IOException {
    FakeLibc libc = new FakeLibc();
    Connection connection = new VsockTransport(3, 8001, libc).connect();

    connection.shutdownOutput();

    assertThat(libc.callsStartingWith("shutdown")).containsExactly("shutdown(10,1)");
  }

  @Test
  void listen_bindsListensAndAcceptsWithCloexec() throws IOException {
    FakeLibc libc = new FakeLibc();
    libc.pendingAccepts.add(42);

    try (Acceptor acceptor = new VsockTransport(VsockTransport.CID_ANY, 5005, libc).listen()) {
      Connection accepted = acceptor.accept();

      assertThat(accepted.peer()).isEqualTo("vsock:16:5042");
      assertThat(acceptor.endpoint())
          .isEqualTo(new VsockTransport(VsockTransport.CID_LOCAL, 1234, libc));
    }
    assertThat(libc.addresses.get(0)).isEqualTo(Vsock.sockaddr(VsockTransport.CID_ANY, 5005));
    assertThat(libc.calls)
        .containsSubsequence(
            "bind(10,16)",
            "listen(10,64)",
            "getsockname(10)",
            "accept4(10," + 0x80000 + ")",
            "close(10)");
  }

  @Test
  void accept_closedFromAnotherThread_failsPromptly() throws Exception {
    FakeLibc libc = new FakeLibc();
    Acceptor acceptor = new VsockTransport(VsockTransport.CID_ANY, 5005, libc).listen();
    CompletableFuture<Connection> accepting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return acceptor.accept();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(50);

    acceptor.close();

    assertThatThrownBy(() -> accepting.get(5, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(java.net.SocketException.class);
    assertThat(libc.callsStartingWith("close")).containsExactly("close(10)");
  }

  @Test
  void listen_addressInUse_isReportedAndTheSocketClosed() {
    FakeLibc libc = new FakeLibc().failWith("bind", 98);

    assertThatThrownBy(() -> new VsockTransport(VsockTransport.CID_ANY, 5005, libc).listen())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("EADDRINUSE");
    assertThat(libc.calls).endsWith("close(10)");
  }

  @Test
  void constructor_outOfRangeCidOrPort_isRejected() {
    FakeLibc libc = new FakeLibc();
    assertThatThrownBy(() -> new VsockTransport(-1, 1, libc))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VsockTransport(3, 0x1_0000_0000L, libc))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Against the real kernel through JNA, where AF_VSOCK exists (skipped elsewhere): binding an
   * ephemeral port and accepting exercise socket, bind, listen, getsockname, poll and close. No
   * connection is attempted: that would reach the hypervisor.
   */
  @Test
  void realLibc_listenOnEphemeralPortAndClose_works() throws Exception {
    VsockTransport transport;
    Acceptor acceptor;
    try {
      transport = new VsockTransport(VsockTransport.CID_ANY, VsockTransport.PORT_ANY);
      acceptor = transport.listen();
    } catch (IOException | UnsatisfiedLinkError e) {
      assumeThat(e).as("vsock unavailable here: " + e).isNull();
      return;
    }
    try {
      assertThat(((VsockTransport) acceptor.endpoint()).port()).isBetween(1L, 0xFFFF_FFFEL);
      CompletableFuture<Connection> accepting =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return acceptor.accept();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(150);
      acceptor.close();
      assertThatThrownBy(() -> accepting.get(5, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(java.net.SocketException.class);
    } finally {
      acceptor.close();
    }
  }
}
