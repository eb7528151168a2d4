package dev.teec.enclave.runner;

import static dev.teec.enclave.runner.RunnerFixtures.read;
import static dev.teec.enclave.runner.RunnerFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs only where this process may create network and PID namespaces (Linux, root). */
@Timeout(60)
class NetworkNamespaceTest {
  @TempDir Path tmp;
  private BuildRunner runner;
  private ServerSocket proxy;
  private ServerSocket other;

  @BeforeAll
  static void namespacesAvailable() throws Exception {
    assumeThat(System.getProperty("os.name")).isEqualTo("Linux");
    assumeThat(Files.isExecutable(Path.of("/usr/bin/unshare"))).isTrue();
    Process p =
        new ProcessBuilder("/usr/bin/unshare", "--net", "--pid", "--fork", "true")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assumeThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as("unshare permitted")
        .isTrue();
  }

  @BeforeEach
  void setUp() throws IOException {
    runner =
        new BuildRunner(
            RunnerConfig.defaults()
                .withBuildRoot(tmp.resolve("root"))
                .withIsolation(IsolationMode.NETWORK_NAMESPACE),
            RunnerFixtures.steppingClock());
    proxy = server("from-proxy");
    other = server("from-other");
  }

  @AfterEach
  void tearDown() throws IOException {
    proxy.close();
    other.close();
  }

  /** A tiny HTTP server on host loopback that answers every request with {@code body}. */
  private static ServerSocket server(String body) throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                  InputStream in = c.getInputStream();
                  byte[] buf = new byte[4096];
                  in.read(buf);
                  OutputStream out = c.getOutputStream();
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Length: "
                              + body.length()
                              + "\r\nConnection: close\r\n\r\n"
                              + body)
                          .getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException e) {
                  // closed by tearDown, or a client that gave up
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return s;
  }

  private RunOutcome build(RunRequest request) throws Exception {
    try (BuildArea area = runner.prepare()) {
      return runner.run(area, request, LogListener.ignore());
    }
  }

  private Path src() throws IOException {
    return tmp.toRealPath().resolve("root/src");
  }

  @Test
  void run_inNamespace_reachesOnlyTheProxy() throws Exception {
    int port = proxy.getLocalPort();
    String cmd =
        "curl -sS --max-time 10 -x http://127.0.0.1:"
            + port
            + " http://example.invalid/ > via-proxy.txt\n"
            + "if curl -sS --max-time 3 http://127.0.0.1:"
            + other.getLocalPort()
            + "/ > /dev/null 2>&1;"
            + " then echo reachable > other.txt; else echo blocked > other.txt; fi\n"
            + "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' > interfaces.txt";
    RunOutcome outcome =
        build(
            RunRequest.of(
                    spec(
                        cmd,
                        Map.of(),
                        Duration.ofSeconds(30),
                        "via-proxy.txt",
                        "other.txt",
                        "interfaces.txt"))
                .withProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    assertThat(outcome.status()).as(outcome.log().text()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(read(src().resolve("via-proxy.txt"))).isEqualTo("from-proxy");
    assertThat(read(src().resolve("other.txt"))).isEqualTo("blocked\n");
    assertThat(read(src().resolve("interfaces.txt"))).isEqualTo("lo\n");
    assertThat(outcome.isolation().enforced()).isTrue();
    assertThat(outcome.isolation().mechanism()).isEqualTo("linux-netns");
    assertThat(outcome.isolation().detail()).contains("127.0.0.1:" + port);
  }

  @Test
  void run_withoutIsolation_reachesTheOtherServer_soTheTestAboveMeansSomething() throws Exception {
    runner =
        new BuildRunner(
            runner.config().withIsolation(IsolationMode.NONE), RunnerFixtures.steppingClock());
    String cmd =
        "curl -sS --max-time 10 http://127.0.0.1:" + other.getLocalPort() + "/ > other.txt";
    RunOutcome outcome = build(RunRequest.of(spec(cmd, "other.txt")));
    assertThat(read(src().resolve("other.txt"))).isEqualTo("from-other");
    assertThat(outcome.isolation().enforced()).isFalse();
  }

  @Test
  void run_inNamespaceWithoutProxy_hasNoNetworkButLoopbackWorks() throws Exception {
    String cmd =
        "if curl -sS --max-time 3 http://127.0.0.1:"
            + proxy.getLocalPort()
            + "/ >/dev/null 2>&1; then echo reachable;"
            + " else echo blocked; fi > r.txt\n"
            + "python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); s.listen(); "
            + "c=socket.create_connection(s.getsockname()); print(\"loopback ok\")' >> r.txt";
    RunOutcome outcome = build(RunRequest.of(spec(cmd, "r.txt")));
    assertThat(outcome.status()).as(outcome.log().text()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(read(src().resolve("r.txt"))).isEqualTo("blocked\nloopback ok\n");
    assertThat(outcome.isolation().detail()).contains("no proxy was forwarded");
  }

  @Test
  void run_inNamespace_killsProcessesThatLeftTheSession() throws Exception {
    // setsid escapes the session the runner kills, but not the PID namespace
    String cmd =
        "setsid sh -c 'read -r p rest < /proc/self/stat; echo $p > bg.pid; exec sleep 300' &\n"
            + "while [ ! -s bg.pid ]; do sleep 0.02; done\n"
            + "echo ok > out";
    RunOutcome outcome = build(RunRequest.of(spec(cmd, "out")));
    assertThat(outcome.status()).as(outcome.log().text()).isEqualTo(BuildStatus.SUCCEEDED);
    long pid = Long.parseLong(read(src().resolve("bg.pid")).trim());
    assertThat(pid).isGreaterThan(1);
    assertThat(ProcessTree.isLive(pid)).isFalse();
  }

  @Test
  void run_inNamespace_timeoutKillsEverything() throws Exception {
    String cmd = "sleep 300 & read -r p rest < /proc/self/stat; echo $p > sh.pid; wait";
    long t0 = System.nanoTime();
    RunOutcome outcome = build(RunRequest.of(spec(cmd, Map.of(), Duration.ofSeconds(1), "x")));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(outcome.status()).isEqualTo(BuildStatus.TIMED_OUT);
    assertThat(ProcessTree.isLive(Long.parseLong(read(src().resolve("sh.pid")).trim()))).isFalse();
  }
}
