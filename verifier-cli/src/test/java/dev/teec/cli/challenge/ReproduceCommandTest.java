package dev.teec.cli.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teec.builder.client.SourceClaims;
import dev.teec.builder.progress.Progress;
import dev.teec.builder.source.PackedSource;
import dev.teec.builder.source.SourcePacker;
import dev.teec.builder.source.SourceSelector;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.enclave.protocol.egress.TcpUpstreamConnector;
import dev.teec.enclave.protocol.egress.UpstreamConnector;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.report.ProvenanceReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code teec challenge reproduce} and {@code fetch} end to end: an original bundle is built with
 * the local worker, then reproduced from its source. Toolchain tests skip, saying why, when the
 * toolchain (or Maven Central) is missing.
 */
class ReproduceCommandTest {
  private static final Path USER_HOME = Path.of(System.getProperty("user.home"));
  private static final String HELLO_C =
      "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n";

  @TempDir Path tmp;

  /** Upstream connections asked of the rebuild's proxy. */
  private final List<String> upstreamCalls = new CopyOnWriteArrayList<>();

  private record Run(int exitCode, String out, String err) {
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(out);
    }
  }

  private Path root() {
    return tmp.resolve("build-root");
  }

  private Map<String, String> env() {
    return Map.of("TEEC_HOME", tmp.resolve("teec-home").toString());
  }

  private Run reproduce(UpstreamConnector upstream, String... args) {
    return run(new ReproduceCommand(Clock.systemUTC(), env(), upstream), args);
  }

  private static Run run(Object command, String... args) {
    CommandLine cl = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path source(Map<String, String> files) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("src"));
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.createDirectories(dir.resolve(f.getKey()).getParent());
      Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    return dir;
  }

  /**
   * Builds {@code dir} with the local worker and returns the bundle; the source is selected and
   * packed as {@code teec build} does it.
   */
  private Path originalBuild(Path dir, Optional<String> path) throws Exception {
    return originalBuild(dir, path, SourceMetadata.UNKNOWN);
  }

  /**
   * Builds the original bundle, claiming {@code metadata} about the source, or (null) what teec
   * build claims for it.
   */
  private Path originalBuild(Path dir, Optional<String> path, SourceMetadata metadata)
      throws Exception {
    return originalBuild(dir, path, metadata, Map.of());
  }

  private Path originalBuild(
      Path dir, Optional<String> path, SourceMetadata metadata, Map<String, String> toolchain)
      throws Exception {
    PackedSource packed =
        SourcePacker.pack(
            new SourceSelector().select(dir, false, List.of()),
            Files.createDirectories(tmp.resolve("original-pack")));
    if (metadata == null) {
      metadata = SourceClaims.of(packed);
    }
    Path bundle = tmp.resolve("original.tar");
    new LocalRebuilder(
            tmp.resolve("teec-home"), root(), TcpUpstreamConnector.anyAddress(), Clock.systemUTC())
        .rebuild(
            new Rebuilder.Request(
                packed,
                Files.readAllBytes(dir.resolve("build.json")),
                metadata,
                path,
                toolchain,
                Optional.empty(),
                bundle,
                Progress.NONE));
    return bundle;
  }

  private UpstreamConnector refusing() {
    return (host, port, connectTimeout, readTimeout) -> {
      upstreamCalls.add(host + ":" + port);
      throw new IOException("this test's rebuild must not go upstream");
    };
  }

  @Test
  void reproduce_cSample_matches_andAChangedSourceIsRefusedWithBothDigests() throws Exception {
    Path dir =
        source(
            Map.of(
                "build.json",
                "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -O2 -o hello hello.c\"},\"output\":{\"files\":[\"hello\"]}}",
                "hello.c",
                HELLO_C));
    Path bundle = originalBuild(dir, Optional.empty());
    // What a local build leaves behind: teec build never sends target/ of a non-git project, nor
    // does reproduce.
    Files.createDirectories(dir.resolve("target"));
    Files.writeString(dir.resolve("target/hello.o"), "stray object file");

    Run run =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--build-root",
            root().toString(),
            "--out",
            tmp.resolve("rebuilt.tar").toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains(
            "(every file except .git, .hg, .svn, node_modules, target, 2 files) packs to the bundle's source")
        .contains("MATCH     hello")
        .contains("teec challenge reproduce: MATCH, 1 of 1 artifacts identical");
    assertThat(tmp.resolve("rebuilt.tar")).isRegularFile();

    Files.writeString(dir.resolve("hello.c"), HELLO_C.replace("hello", "bye"));
    Run changed =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--build-root",
            root().toString());
    ProvenanceReport report =
        new BundleReader(BundleLimits.defaults())
            .read(bundle, Files.createDirectories(tmp.resolve("x")))
            .checkConsistency();

    assertThat(changed.exitCode()).isEqualTo(2);
    assertThat(changed.err())
        .contains("is not the bundle's source")
        .contains("the report records source archive SHA-256 " + report.source().archiveSha256())
        .containsPattern("pack to SHA-256 [0-9a-f]{64}")
        .endsWith(
            "Next: give --source the tree the bundle was built from: its repository at the commit"
                + " the report records, without other changes"
                + System.lineSeparator());
  }

  @Test
  void reproduce_notABundle_pointsAtTheVerifier() throws Exception {
    Path garbage = Files.writeString(tmp.resolve("garbage.tar"), "not a tar");
    Run run = reproduce(refusing(), garbage.toString(), "--source", tmp.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("teec challenge reproduce: the bundle " + garbage + " is not a valid bundle: ")
        .endsWith(
            "Next: run 'teec verify bundle' on it to see which check fails"
                + System.lineSeparator());
  }

  @Test
  void reproduce_cacheWithoutOffline_isAUsageErrorPointingAtHelp() {
    Run run = reproduce(refusing(), "b.tar", "--source", tmp.toString(), "--cache", tmp.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    // Outside the teec tree the command's qualified name is just "reproduce".
    assertThat(run.err().lines())
        .containsExactly(
            "teec challenge reproduce: --cache is only used with --offline",
            "Next: see 'reproduce --help'");
  }

  @Test
  void reproduce_nonReproducibleBuild_mismatchWithFirstDifferenceAndTarEntry() throws Exception {
    String cmd =
        "gcc -O2 -o hello hello.c && date +%s%N > stamp.txt"
            + " && tar --mtime=@0 --owner=0 --group=0 --numeric-owner --sort=name -cf out.tar hello stamp.txt";
    Path dir =
        source(
            Map.of(
                "build.json",
                "{\"language\":\"c\",\"input\":{\"cmd\":\""
                    + cmd
                    + "\"},"
                    + "\"output\":{\"files\":[\"hello\",\"stamp.txt\",\"out.tar\"]}}",
                "hello.c",
                HELLO_C));
    Path bundle = originalBuild(dir, Optional.empty());

    Run human =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--build-root",
            root().toString());

    assertThat(human.exitCode()).as(human.out() + human.err()).isEqualTo(1);
    assertThat(human.out())
        .contains("MATCH     hello")
        .contains("MISMATCH  stamp.txt")
        .contains("MISMATCH  out.tar")
        .containsPattern("original sha256 [0-9a-f]{64}")
        .containsPattern("rebuilt  sha256 [0-9a-f]{64}")
        .contains("same size 20, first difference at byte offset")
        .contains("tar entries: 1 differ, 0 added, 0 removed")
        .containsPattern("content +stamp.txt")
        .contains("teec challenge reproduce: MISMATCH, 1 of 3 artifacts identical");
    assertThat(human.err())
        .endsWith("Next: " + ReproduceCommand.MISMATCH_NEXT + System.lineSeparator());

    Run json =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--build-root",
            root().toString(),
            "--json");
    assertThat(json.exitCode()).isEqualTo(1);
    JsonNode root = json.json();
    assertThat(root.get("result").asText()).isEqualTo("MISMATCH");
    JsonNode artifacts = root.get("artifacts");
    assertThat(artifacts).hasSize(3);
    JsonNode stamp = artifacts.get(2);
    assertThat(stamp.get("name").asText()).isEqualTo("stamp.txt");
    assertThat(stamp.get("verdict").asText()).isEqualTo("MISMATCH");
    assertThat(stamp.get("originalSha256").asText())
        .isNotEqualTo(stamp.get("rebuiltSha256").asText());
    assertThat(stamp.get("difference").get("originalSize").asLong()).isEqualTo(20);
    // Nanosecond stamps of two builds seconds apart share at least their first digit.
    assertThat(stamp.get("difference").get("offset").asLong()).isBetween(1L, 19L);
    JsonNode tar = artifacts.get(1).get("difference").get("archive");
    assertThat(tar.get("format").asText()).isEqualTo("tar");
    assertThat(tar.get("entries")).hasSize(1);
    assertThat(tar.get("entries").get(0).get("name").asText()).isEqualTo("stamp.txt");
    assertThat(tar.get("entries").get(0).get("change").asText()).isEqualTo("content");
    assertThat(artifacts.get(0).get("verdict").asText()).isEqualTo("MATCH");
    assertThat(artifacts.get(0).has("difference")).isFalse();
    assertThat(json.err()).contains("packs to the bundle's source archive");
  }

  @Test
  void reproduce_rustupToolchainOfALocalBuild_isGivenAgain_andMatches() throws Exception {
    Path cargoBin = USER_HOME.resolve(".cargo/bin");
    assumeThat(Files.isExecutable(cargoBin.resolve("rustup")))
        .as("rustup installed in ~/.cargo/bin")
        .isTrue();
    Path dir =
        source(
            Map.of(
                "build.json",
                    "{\"language\":\"rust\",\"input\":{\"cmd\":\"cargo build --release\"},"
                        + "\"output\":{\"files\":[\"target/release/hello\"]}}",
                "Cargo.toml",
                    "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
                "src/main.rs", "fn main() { println!(\"hello from rustup\"); }\n"));
    // As teec build runs it: rustup's home is a toolchain variable, not part of build.json.
    Path bundle =
        originalBuild(
            dir,
            Optional.of(cargoBin + ":" + RunnerConfig.DEFAULT_PATH),
            SourceMetadata.UNKNOWN,
            Map.of("RUSTUP_HOME", USER_HOME.resolve(".rustup").toString()));
    Path rebuilt = tmp.resolve("rebuilt.tar");
    Run run =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--build-root",
            root().toString(),
            "--out",
            rebuilt.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("MATCH     target/release/hello");
    ProvenanceReport again =
        Bundles.read(rebuilt, Files.createDirectories(tmp.resolve("again")), "rebuilt").report();
    assertThat(again.internalParameters().environment())
        .containsEntry("RUSTUP_HOME", USER_HOME.resolve(".rustup").toString());
    assertThat(again.internalParameters().tools().orElseThrow())
        .extracting(t -> t.name())
        .containsExactly("cargo", "rustc");
  }

  @Test
  void reproduce_rustCrate_matches() throws Exception {
    Path cargoBin = USER_HOME.resolve(".cargo/bin");
    assumeThat(Files.isExecutable(cargoBin.resolve("cargo")))
        .as("cargo installed in ~/.cargo/bin")
        .isTrue();
    Path dir =
        source(
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
    Path bundle = originalBuild(dir, Optional.of(cargoBin + ":" + RunnerConfig.DEFAULT_PATH));

    Run run =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--build-root",
            root().toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("MATCH     target/release/hello");
  }

  @Test
  void reproduce_offlineMavenProject_fetchThenReplayWithoutUpstream_matchesWithIdenticalRecords()
      throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/mvn"))).as("mvn installed").isTrue();
    assumeThat(reachable("repo.maven.apache.org", 443)).as("Maven Central reachable").isTrue();
    // The sample project shared by the end-to-end Maven tests of every module
    // (test-vectors/projects).
    Path sample = Path.of("..", "test-vectors", "projects", "maven-one-dependency");
    String pom = Files.readString(sample.resolve("pom.xml"));
    Path dir =
        source(
            Map.of(
                "build.json",
                "{\"language\":\"maven\",\"input\":{\"cmd\":\"mvn -B -q compiler:compile jar:jar\","
                    // Maven's JVM starts faster without the optimising compiler: it runs for
                    // seconds only.
                    + "\"env\":{\"MAVEN_OPTS\":\"-XX:TieredStopAtLevel=1\"}},"
                    + "\"output\":{\"files\":[\"target/app-1.0.jar\"]}}",
                "pom.xml",
                pom,
                "src/main/java/app/App.java",
                Files.readString(sample.resolve("src/main/java/app/App.java"))));
    Path bundle = originalBuild(dir, Optional.empty());
    Path cache = tmp.resolve("cache");

    Run fetch =
        run(new FetchCommand(env()), bundle.toString(), "--cache", cache.toString(), "--json");
    assertThat(fetch.exitCode()).as(fetch.out() + fetch.err()).isZero();
    JsonNode fetched = new ObjectMapper().readTree(fetch.out());
    assertThat(fetched.get("ok").asBoolean()).isTrue();
    assertThat(fetched.get("resources").findValuesAsText("url"))
        .anyMatch(u -> u.endsWith("/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar"));

    Path rebuilt = tmp.resolve("rebuilt.tar");
    Run run =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--build-root",
            root().toString(),
            "--offline",
            "--cache",
            cache.toString(),
            "--out",
            rebuilt.toString(),
            "--json");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.json().get("result").asText()).isEqualTo("MATCH");
    assertThat(run.json().get("offline").asBoolean()).isTrue();
    assertThat(upstreamCalls).isEmpty();
    ProvenanceReport original =
        new BundleReader(BundleLimits.defaults())
            .read(bundle, Files.createDirectories(tmp.resolve("x1")))
            .checkConsistency();
    ProvenanceReport replayed =
        new BundleReader(BundleLimits.defaults())
            .read(rebuilt, Files.createDirectories(tmp.resolve("x2")))
            .checkConsistency();
    assertThat(replayed.networkResources()).isNotEmpty().isEqualTo(original.networkResources());

    // A second fetch finds everything cached (re-verified).
    Run again = run(new FetchCommand(env()), bundle.toString(), "--cache", cache.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains(" 0 fetched, ");
  }

  @Test
  void reproduce_offlineBuildWithoutRequests_rebuildsFromAnEmptyCache() throws Exception {
    Path dir =
        source(
            Map.of(
                "build.json",
                "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -O2 -o hello hello.c\"},\"output\":{\"files\":[\"hello\"]}}",
                "hello.c",
                HELLO_C));
    Path bundle = originalBuild(dir, Optional.empty());

    Run run =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--offline",
            "--cache",
            tmp.resolve("empty").toString(),
            "--build-root",
            root().toString());

    // The C build made no request, so there is nothing to miss: it rebuilds offline and matches.
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("offline: 0 recorded resources");
  }

  private static final String HELLO_BUILD_JSON =
      "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -O2 -o hello hello.c\"},\"output\":{\"files\":[\"hello\"]}}";

  /**
   * Nitro mode with a fake nitro-cli, vsock and root (no hardware here): the enclave is started
   * with the image, the rebuild is sent with the original's source metadata (not this checkout's),
   * the returned bundle is checked by the build client, and the enclave is terminated.
   */
  @Test
  void
      reproduce_nitroMode_rebuildsInTheEnclave_withTheOriginalsSourceMetadata_matches_andTerminates()
          throws Exception {
    Path dir = source(Map.of("build.json", HELLO_BUILD_JSON, "hello.c", HELLO_C));
    // A dirty commit claim carries no evidence, so reproduce sends it again exactly as recorded.
    SourceMetadata recorded =
        new SourceMetadata(
            "git+https://example.org/hello.git",
            "a".repeat(40),
            "b".repeat(40),
            true,
            1_700_000_000L);
    Path bundle = originalBuild(dir, Optional.empty(), recorded);
    FakeEnclave enclave = new FakeEnclave(Files.createDirectories(tmp.resolve("enclave")), root());
    Path eif = Files.writeString(tmp.resolve("teec-c.eif"), "image");
    Path rebuilt = tmp.resolve("rebuilt.tar");

    Run run =
        run(
            new ReproduceCommand(Clock.systemUTC(), env(), refusing(), enclave.platform()),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--mode",
            "nitro",
            "--eif",
            eif.toString(),
            "--memory",
            "2048",
            "--out",
            rebuilt.toString(),
            "--json");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.json().get("result").asText()).isEqualTo("MATCH");
    assertThat(run.json().get("mode").asText()).isEqualTo("nitro");
    assertThat(run.err())
        .contains("enclave image: " + eif)
        .contains("egress allowlist: none")
        .contains("rebuilding in a Nitro Enclave")
        .contains("the rebuilt bundle checks out: enclave " + FakeEnclave.ID);
    assertThat(enclave.events)
        .containsSubsequence(
            "nitro-cli describe-eif --eif-path " + eif,
            "nitro-cli run-enclave --eif-path " + eif + " --cpu-count 2 --memory 2048",
            "egress listen vsock port 8001 for CID 16",
            "nitro-cli describe-enclaves",
            "connect vsock:16:5000",
            "nitro-cli terminate-enclave --enclave-id " + FakeEnclave.ID);
    assertThat(enclave.events).noneMatch(e -> e.contains("--debug-mode"));
    ProvenanceReport report =
        new BundleReader(BundleLimits.defaults())
            .read(rebuilt, Files.createDirectories(tmp.resolve("x")))
            .checkConsistency();
    assertThat(report.builderId()).isEqualTo(ProvenanceReport.BUILDER_NITRO);
    assertThat(report.source().commit()).isEqualTo(recorded.commit());
    assertThat(report.source().uri()).isEqualTo(recorded.uri());
    assertThat(report.source().dirty()).isTrue();
    assertThat(report.source().commitVerified()).isFalse();
    assertThat(report.internalParameters().environment())
        .containsEntry("SOURCE_DATE_EPOCH", "1700000000");
  }

  @Test
  void reproduce_nitroMode_attestationNotOfTheImage_rejected_noBundle_enclaveTerminated()
      throws Exception {
    Path dir = source(Map.of("build.json", HELLO_BUILD_JSON, "hello.c", HELLO_C));
    Path bundle = originalBuild(dir, Optional.empty());
    FakeEnclave enclave = new FakeEnclave(Files.createDirectories(tmp.resolve("enclave")), root());
    enclave.eifPcr0 = "ab".repeat(48);
    Path eif = Files.writeString(tmp.resolve("teec-c.eif"), "image");
    Path rebuilt = tmp.resolve("out/rebuilt.tar");

    Run run =
        run(
            new ReproduceCommand(Clock.systemUTC(), env(), refusing(), enclave.platform()),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--mode",
            "nitro",
            "--eif",
            eif.toString(),
            "--out",
            rebuilt.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("the rebuild failed (ATTESTATION_REJECTED)")
        .contains("policy.pcrs")
        .endsWith("Next: " + Rebuilder.REBUILD_FAILED + System.lineSeparator());
    assertThat(Files.list(rebuilt.getParent())).as("no rebuilt bundle, no partial file").isEmpty();
    assertThat(enclave.events)
        .contains("nitro-cli terminate-enclave --enclave-id " + FakeEnclave.ID);
  }

  @Test
  void reproduce_nitroModeOptions_usageErrorsBeforeAnythingStarts() throws Exception {
    FakeEnclave enclave = new FakeEnclave(Files.createDirectories(tmp.resolve("enclave")), root());
    Path eif = Files.writeString(tmp.resolve("teec-c.eif"), "image");
    String bundle = tmp.resolve("none.tar").toString();
    String src = tmp.toString();
    java.util.function.Function<String[], Run> teec =
        args ->
            run(
                new ReproduceCommand(Clock.systemUTC(), env(), refusing(), enclave.platform()),
                args);

    Run offline =
        teec.apply(
            new String[] {
              bundle, "--source", src, "--mode", "nitro", "--eif", eif.toString(), "--offline"
            });
    assertThat(offline.exitCode()).isEqualTo(2);
    assertThat(offline.err())
        .contains("--offline cannot be used with --mode nitro")
        .contains("runs inside the enclave and cannot read this machine's cache");
    Run noImage = teec.apply(new String[] {bundle, "--source", src, "--mode", "nitro"});
    assertThat(noImage.exitCode()).isEqualTo(2);
    assertThat(noImage.err()).contains("either --eif PATH or --registry FILE --registry-keys JWKS");
    Run buildRoot =
        teec.apply(
            new String[] {
              bundle,
              "--source",
              src,
              "--mode",
              "nitro",
              "--eif",
              eif.toString(),
              "--build-root",
              src
            });
    assertThat(buildRoot.exitCode()).isEqualTo(2);
    assertThat(buildRoot.err()).contains("--build-root applies to --mode local only");
    Run debug =
        teec.apply(
            new String[] {
              bundle, "--source", src, "--mode", "nitro", "--eif", eif.toString(), "--debug-enclave"
            });
    assertThat(debug.exitCode()).isEqualTo(2);
    assertThat(debug.err()).contains("Unknown option: '--debug-enclave'");
    Run host =
        teec.apply(
            new String[] {
              bundle,
              "--source",
              src,
              "--mode",
              "nitro",
              "--eif",
              eif.toString(),
              "--allow-host",
              "https://example.org/"
            });
    assertThat(host.exitCode()).isEqualTo(2);
    assertThat(host.err()).contains("no scheme, port or path");
    Run localEif = teec.apply(new String[] {bundle, "--source", src, "--eif", eif.toString()});
    assertThat(localEif.exitCode()).isEqualTo(2);
    assertThat(localEif.err()).contains("--eif applies to nitro mode only");
    assertThat(enclave.events).isEmpty();
  }

  @Test
  void reproduce_unreadableBundle_usageError() {
    Run run = reproduce(refusing(), tmp.resolve("none.tar").toString(), "--source", tmp.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("cannot read the bundle").contains("no such file");
  }

  @Test
  void teec_challengeReproduceWithoutSource_usageError() {
    CommandLine teec = dev.teec.cli.Teec.newCommandLine(Clock.systemUTC(), env());
    StringWriter err = new StringWriter();
    teec.setErr(new PrintWriter(err, true));
    teec.setOut(new PrintWriter(new StringWriter(), true));

    assertThat(teec.execute("challenge", "reproduce", "bundle.tar")).isEqualTo(2);
    assertThat(err.toString()).contains("--source");
    assertThat(teec.execute("challenge", "fetch", "--help")).isZero();
    assertThat(teec.execute("challenge")).isEqualTo(2);
  }

  @Test
  void reproduce_gitSource_untrackedFilesAreNotSent_matches() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/git"))).as("git installed").isTrue();
    Path dir =
        source(
            Map.of(
                "build.json",
                "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -O2 -o hello hello.c\"},\"output\":{\"files\":[\"hello\"]}}",
                "hello.c",
                HELLO_C));
    git(dir, "init", "-q");
    git(dir, "add", ".");
    git(dir, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "one");
    String commit = gitOutput(dir, "rev-parse", "HEAD");
    Path bundle = originalBuild(dir, Optional.empty(), null);
    Files.writeString(dir.resolve("notes.txt"), "untracked, never part of the source");
    Path rebuilt = tmp.resolve("rebuilt-git.tar");

    Run run =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            dir.toString(),
            "--build-root",
            root().toString(),
            "--out",
            rebuilt.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .containsPattern("\\(the git-tracked files at commit [0-9a-f]{40}, 2 files\\) packs to")
        .contains("MATCH     hello");
    // The clean checkout of the recorded commit claims it again, and the worker verifies it again.
    var source =
        new BundleReader(BundleLimits.defaults())
            .read(rebuilt, Files.createDirectories(tmp.resolve("x-git")))
            .checkConsistency()
            .source();
    assertThat(source.commit()).isEqualTo(commit);
    assertThat(source.commitVerified()).isTrue();

    // The same files outside git pack to the same archive; without the commit's objects the
    // rebuild cannot claim the commit, and says so.
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    Files.copy(dir.resolve("build.json"), plain.resolve("build.json"));
    Files.copy(dir.resolve("hello.c"), plain.resolve("hello.c"));
    Run fromPlain =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            plain.toString(),
            "--build-root",
            root().toString());
    assertThat(fromPlain.exitCode()).as(fromPlain.out() + fromPlain.err()).isZero();
    assertThat(fromPlain.out())
        .contains("is not a clean checkout of commit " + commit)
        .contains("the rebuild claims no commit")
        .contains("MATCH     hello");

    // The repository moves on; --source URL clones it and checks out the commit the report records.
    Files.writeString(dir.resolve("hello.c"), HELLO_C.replace("hello", "later"));
    git(dir, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-am", "two");
    Run fromUrl =
        reproduce(
            refusing(),
            bundle.toString(),
            "--source",
            dir.toUri().toString(),
            "--build-root",
            root().toString());
    assertThat(fromUrl.exitCode()).as(fromUrl.out() + fromUrl.err()).isZero();
    assertThat(fromUrl.err()).contains("checked out " + dir.toUri() + " at " + commit);
    assertThat(fromUrl.out()).contains("MATCH     hello");

    Run noSuchRepo =
        reproduce(
            refusing(), bundle.toString(), "--source", tmp.resolve("nowhere").toUri().toString());
    assertThat(noSuchRepo.exitCode()).isEqualTo(2);
    assertThat(noSuchRepo.err()).contains("git: cannot clone");
  }

  private static String gitOutput(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).isZero();
    return output;
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
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
