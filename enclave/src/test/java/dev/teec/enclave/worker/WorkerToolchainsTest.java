package dev.teec.enclave.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.enclave.runner.SourceArchive;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.formats.report.NetworkResource;
import dev.teec.formats.report.ProvenanceReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker on real toolchains installed on this machine: a Rust crate with cargo, and a Maven
 * project whose dependency is downloaded from Maven Central through the recording proxy. Each test
 * skips, saying why, when its toolchain or the network is missing.
 */
class WorkerToolchainsTest {
  private static final Path USER_HOME = Path.of(System.getProperty("user.home"));

  @TempDir Path tmp;
  private final List<String> log = new CopyOnWriteArrayList<>();

  private Worker worker(String path) throws Exception {
    SimulatedNsm nsm =
        SimulatedNsm.open(
            tmp.resolve("teec-home"),
            Clock.systemUTC(),
            WorkerIdentity.of("teec-worker test", "test runtime", "test code"));
    RunnerConfig runner =
        RunnerConfig.defaults().withBuildRoot(tmp.resolve("build")).withPath(path);
    return new Worker(WorkerConfig.local(nsm, runner, "test", Clock.systemUTC()));
  }

  private ReadBundle build(Worker worker, Map<String, String> files) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("src"));
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.createDirectories(dir.resolve(f.getKey()).getParent());
      Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    SourceArchive.write(dir, SourceArchive.listFiles(dir), archive);
    Path out = tmp.resolve("bundle.tar");
    BuildJob job =
        new BuildJob(
            files.get("build.json").getBytes(StandardCharsets.UTF_8),
            new byte[32],
            ClaimedSource.unknown());
    WorkerResult result =
        worker.build(job, new ByteArrayInputStream(archive.toByteArray()), out, log::add);
    assertThat(result.succeeded())
        .as("failure %s; log:%n%s", result.failure(), String.join("\n", log))
        .isTrue();
    return new BundleReader(BundleLimits.defaults())
        .read(out, Files.createDirectories(tmp.resolve("extract")));
  }

  @Test
  void rustCrate_buildsWithCargo() throws Exception {
    Path cargoBin = USER_HOME.resolve(".cargo/bin");
    assumeThat(Files.isExecutable(cargoBin.resolve("cargo")))
        .as("cargo installed in ~/.cargo/bin")
        .isTrue();
    Worker worker = worker(cargoBin + ":" + RunnerConfig.DEFAULT_PATH);
    String buildJson =
        "{\"language\":\"rust\",\"input\":{\"cmd\":\"cargo build --release\","
            + "\"env\":{\"RUSTUP_HOME\":\""
            + USER_HOME.resolve(".rustup")
            + "\"}},"
            + "\"output\":{\"files\":[\"target/release/hello\"]}}";
    ReadBundle bundle =
        build(
            worker,
            Map.of(
                "build.json", buildJson,
                "Cargo.toml",
                    "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
                "src/main.rs", "fn main() { println!(\"hello from rust\"); }\n"));
    ProvenanceReport report = bundle.checkConsistency();
    assertThat(report.subjects()).extracting(s -> s.name()).containsExactly("target/release/hello");
  }

  @Test
  void mavenProject_dependencyComesThroughTheProxy_andIsRecordedWithItsRealDigest()
      throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/mvn"))).as("mvn installed").isTrue();
    assumeThat(reachable("repo.maven.apache.org", 443)).as("Maven Central reachable").isTrue();
    Path realJar =
        USER_HOME.resolve(".m2/repository/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar");
    assumeThat(Files.isRegularFile(realJar))
        .as("reference copy of opentest4j 1.3.0 in ~/.m2")
        .isTrue();
    Worker worker = worker(RunnerConfig.DEFAULT_PATH);
    String buildJson =
        "{\"language\":\"maven\",\"input\":{\"cmd\":\"mvn -B -q -DskipTests package\"},"
            + "\"output\":{\"files\":[\"target/app-1.0.jar\"]}}";
    // The sample project shared by the end-to-end Maven tests of every module
    // (test-vectors/projects).
    Path sample = Path.of("..", "test-vectors", "projects", "maven-one-dependency");
    String pom = Files.readString(sample.resolve("pom.xml"));
    ReadBundle bundle =
        build(
            worker,
            Map.of(
                "build.json", buildJson,
                "pom.xml", pom,
                "src/main/java/app/App.java",
                    Files.readString(sample.resolve("src/main/java/app/App.java"))));
    ProvenanceReport report = bundle.checkConsistency();
    String expected =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(realJar)));
    NetworkResource jar =
        report.networkResources().stream()
            .filter(
                r ->
                    r.uri().endsWith("/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar")
                        && r.status() == 200)
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "opentest4j jar not recorded among "
                            + report.networkResources().stream()
                                .map(NetworkResource::uri)
                                .filter(u -> u.contains("opentest4j"))
                                .toList()
                            + " of "
                            + report.networkResources().size()
                            + " resources"));
    assertThat(jar.sha256()).isEqualTo(expected);
    assertThat(jar.uri()).startsWith("https://repo.maven.apache.org/");
  }

  private static boolean reachable(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 3000);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
