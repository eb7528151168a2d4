package dev.teec.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.digest.Digests;
import dev.teec.verifier.SharedVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archives {@code mvn package} left in distribution/target: their digests, that they are a
 * function of their inputs, and that unpacked outside the checkout they run with a Java runtime
 * alone (a {@code mvn} on PATH that fails the test if called, no checkout above them).
 */
class DistributionIT {
  private static final Path ROOT = Path.of(System.getProperty("teec.root")).normalize();
  private static final String VERSION = System.getProperty("teec.version");
  private static final Path TARGET = Path.of(System.getProperty("teec.distributionDirectory"));
  private static final Path VECTOR = ROOT.resolve("test-vectors/vectors/valid-document");

  @TempDir Path dir;

  private Path archive(String extension) {
    return TARGET.resolve("teec-" + VERSION + extension);
  }

  @Test
  void digestFile_matchesBothArchives() throws IOException {
    assertThat(Files.readString(archive(".sha256")))
        .isEqualTo(
            Digests.sha256Hex(archive(".tar.gz"))
                + "  teec-"
                + VERSION
                + ".tar.gz\n"
                + Digests.sha256Hex(archive(".zip"))
                + "  teec-"
                + VERSION
                + ".zip\n");
  }

  @Test
  void reassembledFromTheSameInputs_isByteIdentical() throws IOException {
    String timestamp = System.getProperty("teec.outputTimestamp");
    List<Path> again =
        new DistributionAssembler(ROOT, VERSION, Instant.parse(timestamp)).assemble(dir);

    assertThat(Files.readAllBytes(again.get(0))).isEqualTo(Files.readAllBytes(archive(".tar.gz")));
    assertThat(Files.readAllBytes(again.get(1))).isEqualTo(Files.readAllBytes(archive(".zip")));
  }

  @Test
  void tarGz_unpackedElsewhere_verifiesDocumentsWithOnlyAJavaRuntime() throws Exception {
    Path home = unpack("tar", "-xzf", archive(".tar.gz").toString());

    Result generated =
        run(
            home,
            "bin/teec-verify",
            "doc",
            "--at",
            "document",
            "--root",
            VECTOR.resolve("root.pem").toString(),
            VECTOR.resolve("document.cbor").toString());
    assertThat(generated.exitCode()).as(generated.output()).isZero();
    assertThat(generated.output()).startsWith("VERIFIED").doesNotContain("mvn");

    // The first call made teec-verify's class-data sharing archive beside the jar; the JVM
    // accepts it.
    Path archive;
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      archive =
          lib.filter(p -> p.getFileName().toString().matches("teec-verify-.*\\.jsa"))
              .findFirst()
              .orElseThrow();
    }
    Result shared =
        run(
            home,
            System.getProperty("java.home") + "/bin/java",
            "-Xshare:on",
            "-XX:SharedArchiveFile=" + archive,
            "-cp",
            home.resolve("lib/teec-cli.jar").toString(),
            "dev.teec.cli.TeecVerify",
            "--version");
    assertThat(shared.exitCode()).as(shared.output()).isZero();
    assertThat(shared.output()).contains("teec-verify " + VERSION);

    if (SharedVectors.DIR == null) {
      System.out.println("SKIP: ../shared/vectors not found; verified only the generated vector");
      return;
    }
    try (Stream<Path> docs = Files.list(SharedVectors.DIR.resolve("real"))) {
      String real =
          docs.filter(p -> p.toString().endsWith(".cbor"))
              .sorted()
              .findFirst()
              .orElseThrow()
              .toString();
      Result result =
          run(home, "bin/teec-verify", "doc", "--at", "document", "--allow-debug", real);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).startsWith("VERIFIED  " + real);
    }
  }

  @Test
  void zip_unpackedElsewhere_runsBothCommands() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/unzip")), "SKIP: no /usr/bin/unzip here");
    Path home = unpack("/usr/bin/unzip", "-q", archive(".zip").toString());

    Result verify = run(home, "bin/teec-verify", "--version");
    Result teec = run(home, "bin/teec", "--help");

    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).contains("teec-verify " + VERSION);
    assertThat(teec.exitCode()).as(teec.output()).isZero();
    assertThat(teec.output()).contains("Usage: teec");
  }

  @Test
  void installScript_releaseAssetWithItsDigest_isUnpackedOnceAndReused() throws Exception {
    String url = archive(".tar.gz").toUri().toString();
    String sha256 = Digests.sha256Hex(archive(".tar.gz"));
    String install = ROOT.resolve("distribution/install.sh").toString();

    Result first = run(dir, install, url, sha256);
    Result second = run(dir, install, url, sha256.toUpperCase(java.util.Locale.ROOT));

    assertThat(first.exitCode()).as(first.output()).isZero();
    Path home = Path.of(first.output().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(home)
        .isEqualTo(dir.resolve("runner/teec-distribution/" + sha256 + "/teec-" + VERSION));
    assertThat(home.resolve("bin/teec-verify")).isExecutable();
    assertThat(second.output().strip()).isEqualTo(home.toString());
  }

  @Test
  void installScript_wrongDigest_isRefusedAndNothingIsInstalled() throws Exception {
    String url = archive(".tar.gz").toUri().toString();
    String other = "0".repeat(64);

    Result result = run(dir, ROOT.resolve("distribution/install.sh").toString(), url, other);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("not the expected " + other, "refusing it");
    assertThat(dir.resolve("runner/teec-distribution/" + other)).doesNotExist();
  }

  private record Result(int exitCode, String output) {}

  /** Unpacks into a fresh directory outside the checkout; returns the top directory. */
  private Path unpack(String... command) throws Exception {
    Path into = Files.createDirectories(dir.resolve("unpacked"));
    assertThat(run(into, command).exitCode()).isZero();
    Path home = into.resolve("teec-" + VERSION);
    assertThat(home.resolve("LICENSE")).isRegularFile();
    assertThat(home.resolve("bin/teec-verify")).isExecutable();
    return home;
  }

  /**
   * Runs a command in {@code cwd} with PATH = a directory whose {@code mvn} fails loudly, then the
   * system's; JAVA_HOME = this test's runtime; a HOME of its own; output and errors together.
   */
  private Result run(Path cwd, String... command) throws Exception {
    Path fakeBin = Files.createDirectories(dir.resolve("no-maven"));
    Path mvn = fakeBin.resolve("mvn");
    if (!Files.exists(mvn)) {
      Files.writeString(mvn, "#!/bin/sh\necho 'mvn was called' >&2\nexit 99\n");
      mvn.toFile().setExecutable(true);
    }
    List<String> argv = new ArrayList<>(List.of(command));
    if (argv.get(0).startsWith("bin/")) {
      argv.set(0, cwd.resolve(argv.get(0)).toString());
    }
    ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(k -> k.startsWith("TEEC_") || k.startsWith("MAVEN") || k.startsWith("XDG_"));
    env.put("PATH", fakeBin + ":/usr/bin:/bin");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    env.put("RUNNER_TEMP", dir.resolve("runner").toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes());
    return new Result(p.waitFor(), output);
  }
}
