package dev.teec.enclave.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The host side of a guest vsock port through a vhost-user backend's Unix socket. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HybridVsockTransportTest {

  @TempDir Path dir;

  @Test
  void connect_backendAcceptsThePort_streamIsTheGuestsAfterTheReply() throws Exception {
    Path socket = dir.resolve("vm.vsock");
    try (Acceptor backend = new UnixSocketTransport(socket).listen()) {
      CompletableFuture<String> request =
          CompletableFuture.supplyAsync(() -> serve(backend, "OK 1073741824\n"));
      try (Connection c = new HybridVsockTransport(socket, 5000).connect()) {
        c.output().write("ping".getBytes(StandardCharsets.US_ASCII));
        c.output().flush();
        c.shutdownOutput();
        assertThat(new String(c.input().readAllBytes(), StandardCharsets.US_ASCII))
            .isEqualTo("echo:ping");
      }
      assertThat(request.get()).isEqualTo("CONNECT 5000\n");
    }
  }

  @Test
  void connect_nothingListensOnThePort_failsSayingSo() throws Exception {
    Path socket = dir.resolve("vm.vsock");
    try (Acceptor backend = new UnixSocketTransport(socket).listen()) {
      CompletableFuture.runAsync(() -> serve(backend, null));
      assertThatThrownBy(() -> new HybridVsockTransport(socket, 5000).connect())
          .hasMessageContaining("without a reply (is anything listening on that port?)");
    }
  }

  @Test
  void connect_replyOtherThanOk_refused() throws Exception {
    Path socket = dir.resolve("vm.vsock");
    try (Acceptor backend = new UnixSocketTransport(socket).listen()) {
      CompletableFuture.runAsync(() -> serve(backend, "ERR no\n"));
      assertThatThrownBy(() -> new HybridVsockTransport(socket, 5000).connect())
          .hasMessageContaining("replied \"ERR no\" instead of \"OK <port>\"");
    }
  }

  @Test
  void connect_endlessReplyLine_refused() throws Exception {
    Path socket = dir.resolve("vm.vsock");
    try (Acceptor backend = new UnixSocketTransport(socket).listen()) {
      CompletableFuture.runAsync(
          () -> serve(backend, "OK 1234567890123456789012345678901234567890\n"));
      assertThatThrownBy(() -> new HybridVsockTransport(socket, 5000).connect())
          .hasMessageContaining("longer than 32 bytes");
    }
  }

  @Test
  void connect_noBackend_failsNamingTheSocket() {
    Path socket = dir.resolve("absent.vsock");
    assertThatThrownBy(() -> new HybridVsockTransport(socket, 5000).connect())
        .hasMessageContaining("cannot connect to hybrid-vsock:" + socket + ":5000");
  }

  @Test
  void listen_guestConnectionsToTheHostPort_arriveAtSocketUnderscorePort() throws Exception {
    Path socket = dir.resolve("vm.vsock");
    try (Acceptor acceptor = new HybridVsockTransport(socket, 8001).listen()) {
      assertThat(acceptor.endpoint())
          .isEqualTo(new UnixSocketTransport(dir.resolve("vm.vsock_8001")));
    }
    assertThat(dir.resolve("vm.vsock_8001")).doesNotExist();
  }

  @Test
  void new_portOutOfRange_refused() {
    assertThatThrownBy(() -> new HybridVsockTransport(dir, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HybridVsockTransport(dir, 1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A backend: reads the request line, replies (or hangs up when reply is null), then echoes. */
  private static String serve(Acceptor backend, String reply) {
    try (Connection c = backend.accept()) {
      InputStream in = c.input();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b; (b = in.read()) != -1 && b != '\n'; ) {
        line.write(b);
      }
      if (reply == null) {
        return line + "\n";
      }
      OutputStream out = c.output();
      out.write(reply.getBytes(StandardCharsets.US_ASCII));
      out.write("echo:".getBytes(StandardCharsets.US_ASCII));
      out.write(in.readAllBytes());
      out.flush();
      return line.toString(StandardCharsets.US_ASCII) + "\n";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
