package dev.teec.builder.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.report.NetworkResource;
import dev.teec.formats.report.ProvenanceReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds with a real local worker process (simulated NSM) over the wire protocol. */
class LocalBuildTest {
  private static final Path USER_HOME = Path.of(System.getProperty("user.home"));

  @TempDir Path tmp;

  @Test
  void build_cProgram_writesACheckedBundle_andStopsTheWorker() throws Exception {
    LocalBuilds builds = new LocalBuilds(tmp);
    Path out = tmp.resolve("out/hello.tar");
    BuildSummary summary =
        builds.build(LocalBuilds.client(), Projects.cProgram(tmp.resolve("p")), out);

    assertThat(out).isRegularFile();
    assertThat(summary.simulated()).isTrue();
    assertThat(summary.subjects()).containsOnlyKeys("hello");
    assertThat(summary.nonce()).hasSize(2 * BuildClient.NONCE_BYTES);
    assertThat(builds.log).contains("compiling");
    assertThat(builds.phases)
        .containsSubsequence(
            "sending the source", "building", "receiving the bundle", "checking the bundle");
    assertThat(summary.bundleSha256()).isEqualTo(sha256(out));
    // Only the bundle is left in the output directory: no temporary files.
    try (Stream<Path> files = Files.list(out.getParent())) {
      assertThat(files).containsExactly(out);
    }
    ProvenanceReport report =
        new BundleReader(BundleLimits.defaults())
            .read(out, Files.createDirectories(tmp.resolve("x")))
            .checkConsistency();
    assertThat(report.builderId()).isEqualTo(ProvenanceReport.BUILDER_LOCAL);
    assertThat(report.source().archiveSha256()).isEqualTo(summary.source().archiveSha256());
    assertThat(report.subject("hello").sha256()).isEqualTo(summary.subjects().get("hello"));
    assertThat(workers(tmp)).as("worker processes left").isZero();
  }

  @Test
  void build_workerKilledMidBuild_workerGone_noBundle() throws Exception {
    LocalBuilds builds = new LocalBuilds(tmp);
    Path project = Projects.sleeper(tmp.resolve("p"), "31.4159");
    builds.onPhase =
        phase -> {
          if (phase.equals("building")) {
            // Once the build's process runs (and the launcher has had time to see it), the worker
            // dies.
            new Thread(
                    () -> {
                      waitFor(() -> sleepers("31.4159").findAny().isPresent());
                      try {
                        Thread.sleep(600);
                      } catch (InterruptedException e) {
                        return;
                      }
                      workerProcesses(tmp).forEach(ProcessHandle::destroyForcibly);
                    })
                .start();
          }
        };
    Path out = tmp.resolve("out/b.tar");
    assertThatThrownBy(() -> builds.build(LocalBuilds.client(), project, out))
        .isInstanceOfSatisfying(
            BuildException.class, e -> assertThat(e.code()).isEqualTo(FailureCode.WORKER_GONE));
    assertThat(Files.list(out.getParent())).isEmpty();
    // The build outlived its worker in a session of its own; closing the worker's handle ended it.
    assertThat(waitFor(() -> sleepers("31.4159").findAny().isEmpty()))
        .as("the orphaned build is gone")
        .isTrue();
  }

  @Test
  void abort_duringTheBuild_cancelled_noBundle_noProcessLeft() throws Exception {
    LocalBuilds builds = new LocalBuilds(tmp);
    String marker = "27.1828";
    Path project = Projects.sleeper(tmp.resolve("p"), marker);
    BuildClient client = LocalBuilds.client();
    CompletableFuture<Void> aborted = new CompletableFuture<>();
    builds.onPhase =
        phase -> {
          if (phase.equals("building")) {
            // As the shutdown hook does on Ctrl-C: from another thread, once the build runs.
            new Thread(
                    () -> {
                      waitFor(() -> sleepers(marker).findAny().isPresent());
                      client.abort(Duration.ofSeconds(30));
                      aborted.complete(null);
                    })
                .start();
          }
        };
    Path out = tmp.resolve("out/b.tar");
    assertThatThrownBy(() -> builds.build(client, project, out))
        .isInstanceOfSatisfying(
            BuildException.class, e -> assertThat(e.code()).isEqualTo(FailureCode.CANCELLED));
    aborted.join();
    assertThat(Files.list(out.getParent())).isEmpty();
    assertThat(waitFor(() -> sleepers(marker).findAny().isEmpty()))
        .as("the build's process is gone")
        .isTrue();
    assertThat(waitFor(() -> workers(tmp) == 0)).as("the worker is gone").isTrue();
  }

  @Test
  void build_rustCrate_withCargo() throws Exception {
    Path cargoBin = USER_HOME.resolve(".cargo/bin");
    assumeThat(Files.isExecutable(cargoBin.resolve("cargo")))
        .as("cargo installed in ~/.cargo/bin")
        .isTrue();
    LocalBuilds builds = new LocalBuilds(tmp);
    builds.settings = builds.settings.withPath(cargoBin + ":" + RunnerConfig.DEFAULT_PATH);
    Path project =
        Projects.write(
            tmp.resolve("p"),
            Map.of(
                "build.json",
                    "{\"language\":\"rust\",\"input\":{\"cmd\":\"cargo build --release\","
                        + "\"env\":{\"RUSTUP_HOME\":\""
                        + USER_HOME.resolve(".rustup")
                        + "\"}},"
                        + "\"output\":{\"files\":[\"target/release/hello\"]}}",
                "Cargo.toml",
                    "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
                "src/main.rs", "fn main() { println!(\"hello from rust\"); }\n"));
    BuildSummary summary = builds.build(LocalBuilds.client(), project, tmp.resolve("out/rust.tar"));
    assertThat(summary.subjects()).containsOnlyKeys("target/release/hello");
  }

  @Test
  void build_mavenProject_dependencyThroughTheWorkersProxy() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/mvn"))).as("mvn installed").isTrue();
    assumeThat(reachable("repo.maven.apache.org", 443)).as("Maven Central reachable").isTrue();
    LocalBuilds builds = new LocalBuilds(tmp);
    // The sample project shared by the end-to-end Maven tests of every module
    // (test-vectors/projects).
    Path sample = Path.of("..", "test-vectors", "projects", "maven-one-dependency");
    String pom = Files.readString(sample.resolve("pom.xml"));
    Path project =
        Projects.write(
            tmp.resolve("p"),
            Map.of(
                "build.json",
                "{\"language\":\"maven\",\"input\":{\"cmd\":\"mvn -B -q -DskipTests package\"},"
                    + "\"output\":{\"files\":[\"target/app-1.0.jar\"]}}",
                "pom.xml",
                pom,
                "src/main/java/app/App.java",
                Files.readString(sample.resolve("src/main/java/app/App.java"))));
    Path out = tmp.resolve("out/maven.tar");
    builds.build(LocalBuilds.client(), project, out);
    ProvenanceReport report =
        new BundleReader(BundleLimits.defaults())
            .read(out, Files.createDirectories(tmp.resolve("x")))
            .checkConsistency();
    assertThat(report.networkResources())
        .extracting(NetworkResource::uri)
        .anyMatch(u -> u.endsWith("/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar"));
  }

  static Stream<ProcessHandle> workerProcesses(Path tmp) {
    String home = tmp.resolve("home").toString();
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains("WorkerMain") && c.contains(home))
                    .orElse(false));
  }

  static long workers(Path tmp) {
    return workerProcesses(tmp).filter(ProcessHandle::isAlive).count();
  }

  static Stream<ProcessHandle> sleepers(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("sleep " + marker)).orElse(false));
  }

  static boolean waitFor(BooleanSupplier condition) {
    for (int i = 0; i < 400; i++) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static String sha256(Path file)
      throws IOException, java.security.GeneralSecurityException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static boolean reachable(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 3000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
