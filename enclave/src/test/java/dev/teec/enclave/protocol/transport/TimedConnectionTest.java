package dev.teec.enclave.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Connection#withReadTimeout} over Unix domain sockets, a transport with no native read
 * timeout (like vsock).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimedConnectionTest {

  @TempDir Path dir;

  @Test
  void withReadTimeout_silentPeer_failsWithSocketTimeoutAndClosesTheConnection() throws Exception {
    try (Acceptor acceptor = new UnixSocketTransport(dir.resolve("t.sock")).listen();
        Connection client = acceptor.endpoint().connect();
        Connection server = acceptor.accept()) {
      Connection timed = Connection.withReadTimeout(client, Duration.ofMillis(200));

      long start = System.nanoTime();
      assertThatThrownBy(() -> timed.input().read(new byte[10]))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("PT0.2S");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));
      assertThatThrownBy(() -> timed.input().read()).isInstanceOf(SocketTimeoutException.class);
      assertThat(server.input().read()).isEqualTo(-1);
    }
  }

  @Test
  void withReadTimeout_dataInTime_isReadAndTheConnectionStaysUsable() throws Exception {
    try (Acceptor acceptor = new UnixSocketTransport(dir.resolve("t.sock")).listen();
        Connection client = acceptor.endpoint().connect();
        Connection server = acceptor.accept()) {
      Connection timed = Connection.withReadTimeout(client, Duration.ofSeconds(5));

      for (int i = 0; i < 3; i++) {
        int value = i;
        CompletableFuture<Void> late =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    Thread.sleep(100);
                    server.output().write(value);
                  } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                });
        assertThat(timed.input().read()).isEqualTo(value);
        late.get();
      }
      timed.output().write(42);
      assertThat(server.input().read()).isEqualTo(42);
    }
  }

  @Test
  void withReadTimeout_notPositive_isRejected() throws Exception {
    try (Acceptor acceptor = new UnixSocketTransport(dir.resolve("t.sock")).listen();
        Connection client = acceptor.endpoint().connect()) {
      assertThatThrownBy(() -> Connection.withReadTimeout(client, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("positive");
    }
  }
}
