package dev.teec.enclave.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain-HTTP upstream that answers with scripted raw bytes: for malformed or unusual responses
 * the JDK server cannot produce. Each connection reads one request head, writes the script's answer
 * for that connection number (0-based) and closes, or with {@code keepOpen} serves further requests
 * on the same connection the same way.
 */
final class FakeUpstream implements AutoCloseable {

  /** The answer for the n-th connection; return null to accept and then stay silent. */
  interface Script {
    String answer(int connection);
  }

  final List<String> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  private final ServerSocket server;
  private final Script script;
  private final boolean keepOpen;

  FakeUpstream(Script script, boolean keepOpen) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    this.keepOpen = keepOpen;
    Thread t = new Thread(this::accept, "fake-upstream");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        int n = connections.getAndIncrement();
        Thread t = new Thread(() -> serve(s, n), "fake-upstream-" + n);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s, int n) {
    try (s) {
      HttpInput in = new HttpInput(s.getInputStream());
      OutputStream out = s.getOutputStream();
      do {
        HttpHead head = HttpHead.read(in, 400);
        if (head == null) {
          return;
        }
        requests.add(head.startLine());
        String answer = script.answer(n);
        if (answer == null) {
          Thread.sleep(60_000);
          return;
        }
        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } while (keepOpen);
    } catch (IOException | InterruptedException e) {
      // Test server: the connection simply ends.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
