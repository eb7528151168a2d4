package dev.teec.enclave.proxy;

import static dev.teec.enclave.proxy.Fixtures.awaitRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real toolchain clients, configured only by {@link ToolchainEnvironment}, fetching from a local
 * HTTPS server through the proxy. The made-up host {@code registry.test} is resolved by the test
 * connector, so the clients cannot reach it except through the proxy. A client that is not
 * installed is skipped.
 */
class ToolchainsThroughProxyTest {

  @TempDir Path dir;

  private ProxyCa upstreamCa;
  private TestServer upstream;
  private RecordingProxy proxy;
  private Map<String, String> env;

  @BeforeEach
  void start() throws IOException {
    upstreamCa = Fixtures.newCa();
    upstream = TestServer.https(upstreamCa.serverContext("registry.test"));
    ProxyCa ca = Fixtures.newCa();
    proxy =
        RecordingProxy.builder(ca)
            .allowlist(HostAllowlist.of("registry.test"))
            .connector(new Fixtures.LocalConnector(Map.of("registry.test", upstream.port())))
            .upstreamTls(Fixtures.trusting(upstreamCa.certificate()))
            .start();
    env = ToolchainEnvironment.write(ca, proxy.address(), dir.resolve("trust"));
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  private record Run(int exit, String output) {}

  private Run run(List<String> command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    // Inherited proxy settings would compete with ours; everything else (PATH, HOME) is kept.
    pb.environment().keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).contains("proxy"));
    pb.environment().putAll(env);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(d, tool))) {
          return true;
        }
      }
    }
    System.out.println("skipped: " + tool + " is not installed");
    return false;
  }

  @Test
  void curl_withEnvironmentOnly_fetchesThroughProxyAndIsRecorded() throws Exception {
    assumeTrue(onPath("curl"), "curl not installed");
    Path out = dir.resolve("out.bin");
    Run r =
        run(
            List.of(
                "curl", "-sS", "-f", "-o", out.toString(), "https://registry.test/file/3000?v=1"));

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(TestServer.content(3000));
    assertThat(awaitRecords(proxy, 1))
        .containsExactly(
            new NetworkRecord(
                "GET",
                "https://registry.test/file/3000?v=1",
                200,
                3000,
                "application/octet-stream",
                TestServer.sha256(TestServer.content(3000)),
                false,
                null));
  }

  @Test
  void curl_explicitProxyAndCacert_fetchesThroughProxy() throws Exception {
    assumeTrue(onPath("curl"), "curl not installed");
    Run r =
        run(
            List.of(
                "curl",
                "-sS",
                "-f",
                "--proxy",
                "http://127.0.0.1:" + proxy.address().getPort(),
                "--cacert",
                env.get("SSL_CERT_FILE"),
                "-d",
                "hello",
                "https://registry.test/echo"));

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).isEqualTo("hello");
    assertThat(awaitRecords(proxy, 1).get(0).method()).isEqualTo("POST");
  }

  @Test
  void python_urllibWithEnvironmentOnly_fetchesThroughProxy() throws Exception {
    assumeTrue(onPath("python3"), "python3 not installed");
    Run r =
        run(
            List.of(
                "python3",
                "-c",
                "import urllib.request,sys; "
                    + "sys.stdout.write(str(len(urllib.request.urlopen('https://registry.test/file/777').read())))"));

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).endsWith("777");
    assertThat(awaitRecords(proxy, 1).get(0).sha256())
        .isEqualTo(TestServer.sha256(TestServer.content(777)));
  }

  @Test
  void git_withEnvironmentOnly_reachesServerThroughProxy() throws Exception {
    assumeTrue(onPath("git"), "git not installed");
    Run r = run(List.of("git", "ls-remote", "https://registry.test/repo.git"));

    // The test server is not a git server: the 404 proves git got through the proxy and trusted its
    // CA.
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).doesNotContain("SSL", "certificate");
    NetworkRecord first = awaitRecords(proxy, 1).get(0);
    assertThat(first.url())
        .isEqualTo("https://registry.test/repo.git/info/refs?service=git-upload-pack");
    assertThat(first.status()).isEqualTo(404);
  }

  @Test
  void java_withJavaToolOptionsOnly_fetchesThroughProxy() throws Exception {
    Path source = dir.resolve("Fetch.java");
    Files.writeString(
        source,
        "public class Fetch { public static void main(String[] a) throws Exception {"
            + " System.out.print(new java.net.URL(a[0]).openStream().readAllBytes().length); } }");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Run r = run(List.of(java, source.toString(), "https://registry.test/file/4242"));

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).endsWith("4242");
    assertThat(awaitRecords(proxy, 1).get(0).url()).isEqualTo("https://registry.test/file/4242");
  }

  @Test
  void environment_hasNoVariableThatIsEmpty() {
    Map<String, String> copy = new HashMap<>(env);
    copy.values().removeIf(v -> !v.isEmpty());
    assertThat(copy).isEmpty();
  }
}
