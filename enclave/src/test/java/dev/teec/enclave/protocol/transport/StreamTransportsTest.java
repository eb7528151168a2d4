package dev.teec.enclave.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Unix domain sockets and loopback TCP: the local-mode transports. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamTransportsTest {

  @TempDir Path dir;

  @Test
  void unix_listen_createsSocketOwnerOnlyAndLeavesNoStagingBehind() throws IOException {
    Path path = dir.resolve("worker.sock");

    try (Acceptor acceptor = new UnixSocketTransport(path).listen()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
          .isEqualTo("rw-------");
      try (var entries = Files.list(dir)) {
        assertThat(entries).containsExactly(path);
      }
      assertThat(acceptor.endpoint()).isEqualTo(new UnixSocketTransport(path));
    }
    assertThat(path).doesNotExist();
  }

  @Test
  void unix_listen_existingFile_isRefusedAndLeftAlone() throws IOException {
    Path path = dir.resolve("worker.sock");
    Files.writeString(path, "not a socket");

    assertThatThrownBy(() -> new UnixSocketTransport(path).listen())
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("stale socket");
    assertThat(Files.readString(path)).isEqualTo("not a socket");
    try (var entries = Files.list(dir)) {
      assertThat(entries).containsExactly(path);
    }
  }

  @Test
  void unix_close_doesNotRemoveAReplacement() throws IOException {
    Path path = dir.resolve("worker.sock");
    Acceptor acceptor = new UnixSocketTransport(path).listen();
    Files.delete(path);
    Files.writeString(path, "someone else's");

    acceptor.close();

    assertThat(Files.readString(path)).isEqualTo("someone else's");
  }

  @Test
  void unix_connectWithoutListener_failsNamingThePath() {
    assertThatThrownBy(() -> new UnixSocketTransport(dir.resolve("none.sock")).connect())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("none.sock");
  }

  @Test
  void unix_fullDuplex_readerDoesNotBlockWriter() throws Exception {
    try (Acceptor acceptor = new UnixSocketTransport(dir.resolve("d.sock")).listen()) {
      assertFullDuplex(acceptor);
    }
  }

  @Test
  void tcp_fullDuplex_readerDoesNotBlockWriter() throws Exception {
    try (Acceptor acceptor = new LoopbackTcpTransport(0).listen()) {
      assertThat(acceptor.endpoint().toString()).startsWith("tcp:127.0.0.1:");
      assertFullDuplex(acceptor);
    }
  }

  @Test
  void unix_closeUnblocksABlockedRead() throws Exception {
    try (Acceptor acceptor = new UnixSocketTransport(dir.resolve("c.sock")).listen();
        Connection client = acceptor.endpoint().connect();
        Connection server = acceptor.accept()) {
      assertThat(client.peer()).isNotEmpty();
      assertCloseUnblocksRead(server);
    }
  }

  @Test
  void tcp_closeUnblocksABlockedRead() throws Exception {
    try (Acceptor acceptor = new LoopbackTcpTransport(0).listen();
        Connection client = acceptor.endpoint().connect();
        Connection server = acceptor.accept()) {
      assertThat(client.peer()).isNotEmpty();
      assertCloseUnblocksRead(server);
    }
  }

  @Test
  void acceptorClose_unblocksAccept() throws Exception {
    for (Acceptor acceptor :
        new Acceptor[] {
          new UnixSocketTransport(dir.resolve("a.sock")).listen(),
          new LoopbackTcpTransport(0).listen()
        }) {
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
          .hasRootCauseInstanceOf(IOException.class);
    }
  }

  @Test
  void shutdownOutput_peerSeesEndOfStreamButCanStillAnswer() throws Exception {
    try (Acceptor acceptor = new UnixSocketTransport(dir.resolve("h.sock")).listen();
        Connection client = acceptor.endpoint().connect();
        Connection server = acceptor.accept()) {
      client.output().write(new byte[] {1, 2});
      client.shutdownOutput();

      assertThat(server.input().readAllBytes()).containsExactly(1, 2);
      server.output().write(3);
      assertThat(client.input().read()).isEqualTo(3);
    }
  }

  @Test
  void tcp_portOutOfRange_isRejected() {
    assertThatThrownBy(() -> new LoopbackTcpTransport(65536))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoopbackTcpTransport(0).connect())
        .isInstanceOf(IllegalStateException.class);
  }

  /** Both ends write 4 MiB while reading what the other writes: deadlocks if reads block writes. */
  private static void assertFullDuplex(Acceptor acceptor) throws Exception {
    byte[] a = new byte[4 << 20];
    byte[] b = new byte[4 << 20];
    new Random(1).nextBytes(a);
    new Random(2).nextBytes(b);
    // Threads of its own: the common pool may have a single thread on a small machine.
    ExecutorService threads = Executors.newCachedThreadPool();
    try (Connection client = acceptor.endpoint().connect();
        Connection server = acceptor.accept()) {
      Future<byte[]> serverReads = threads.submit(() -> server.input().readNBytes(a.length));
      Future<byte[]> clientReads = threads.submit(() -> client.input().readNBytes(b.length));
      Future<?> clientWrites = threads.submit(() -> write(client, a));
      write(server, b);
      clientWrites.get(10, TimeUnit.SECONDS);
      assertThat(serverReads.get(10, TimeUnit.SECONDS)).isEqualTo(a);
      assertThat(clientReads.get(10, TimeUnit.SECONDS)).isEqualTo(b);
    } finally {
      threads.shutdownNow();
    }
  }

  private static void assertCloseUnblocksRead(Connection connection) throws Exception {
    CompletableFuture<Integer> read =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return connection.input().read();
              } catch (IOException e) {
                return -2;
              }
            });
    Thread.sleep(50);
    connection.close();
    assertThat(read.get(5, TimeUnit.SECONDS)).isIn(-1, -2);
  }

  private static void write(Connection connection, byte[] data) {
    try {
      for (int off = 0; off < data.length; off += 8192) {
        connection.output().write(data, off, 8192);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
