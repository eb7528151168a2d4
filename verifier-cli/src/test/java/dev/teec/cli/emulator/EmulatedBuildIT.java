package dev.teec.cli.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.image.ImageResult;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.formats.report.EnclaveRuntime;
import dev.teec.formats.report.NetworkResource;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.Subject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator tier, end to end through the commands a user runs (each a separate {@code java}
 * process of the CLI jar): {@code teec build --mode emulated} builds the C demo and the Maven
 * sample (its dependency through the host egress forwarder) in the image of {@code teec emulator
 * image} under QEMU; {@code teec-verify bundle --emulated} accepts the bundle, and rejects it
 * without the option; the attested PCRs are the EIF's; user_data is SHA-384 of the report; the
 * report records the device NSM and the parent CID; {@code teec challenge reproduce --mode
 * emulated} rebuilds the C demo byte for byte. No enclave, QEMU or socket outlives a command.
 * Figures go to stderr.
 */
class EmulatedBuildIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  @TempDir Path temp;

  @Test
  void cDemo_buildVerifyReproduce() throws Exception {
    Path project = Files.createDirectories(temp.resolve("hello-c"));
    for (String name : List.of("build.json", "hello.c")) {
      try (InputStream in = getClass().getResourceAsStream("/dev/teec/cli/demo/" + name)) {
        Files.copy(in, project.resolve(name));
      }
    }
    ImageResult image = EmulatorTier.image("c");
    Path bundle = temp.resolve("hello.tar");
    ProvenanceReport report = buildAndVerify(project, image, bundle);
    assertThat(report.subjects()).extracting(Subject::name).containsExactly("hello");

    long started = System.nanoTime();
    Run reproduce =
        teec(
            "challenge",
            "reproduce",
            bundle.toString(),
            "--source",
            project.toString(),
            "--mode",
            "emulated",
            "--eif",
            image.path().toString(),
            "--out",
            temp.resolve("rebuilt.tar").toString(),
            "--json");
    System.err.printf(
        "figure: teec challenge reproduce --mode emulated (c): %.1f s%n", seconds(started));
    assertThat(reproduce.exit()).as(reproduce.err()).isZero();
    JsonNode result = JSON.readTree(reproduce.out());
    assertThat(result.get("mode").asText()).isEqualTo("emulated");
    assertThat(result.get("result").asText()).isEqualTo("MATCH");
    assertNothingLeft();
  }

  @Test
  void mavenSample_dependencyThroughTheEgressForwarder() throws Exception {
    Path sample = Path.of("..", "test-vectors", "projects", "maven-one-dependency");
    Path project = temp.resolve("maven");
    Files.createDirectories(project.resolve("src/main/java/app"));
    Files.copy(sample.resolve("pom.xml"), project.resolve("pom.xml"));
    Files.copy(
        sample.resolve("src/main/java/app/App.java"),
        project.resolve("src/main/java/app/App.java"));
    Files.writeString(
        project.resolve("build.json"),
        "{\"language\":\"maven\",\"input\":{\"cmd\":\"mvn -B -q -DskipTests package\"},"
            + "\"output\":{\"files\":[\"target/app-1.0.jar\"]}}");
    ProvenanceReport report =
        buildAndVerify(project, EmulatorTier.image("maven"), temp.resolve("maven.tar"));
    assertThat(report.networkResources())
        .extracting(NetworkResource::uri)
        .anyMatch(u -> u.endsWith("/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar"));
    assertThat(report.networkResources()).allMatch(r -> r.sha256() != null);
    assertNothingLeft();
  }

  /** Builds DIR with --mode emulated and checks the bundle every way; returns its report. */
  private ProvenanceReport buildAndVerify(Path project, ImageResult image, Path bundle)
      throws Exception {
    long started = System.nanoTime();
    Run build =
        teec(
            "build",
            project.toString(),
            "--mode",
            "emulated",
            "--eif",
            image.path().toString(),
            "--out",
            bundle.toString(),
            "--json");
    System.err.printf(
        "figure: teec build --mode emulated (%s), end to end: %.1f s%n",
        image.language(), seconds(started));
    assertThat(build.exit()).as(build.err()).isZero();
    JsonNode summary = JSON.readTree(build.out());
    assertThat(summary.get("mode").asText()).isEqualTo("emulated");
    assertThat(summary.get("emulated").asBoolean()).isTrue();
    assertThat(summary.get("simulated").asBoolean()).isFalse();

    List<String> pcrs = new ArrayList<>();
    image.pcrs().forEach((i, hex) -> pcrs.addAll(List.of("--expect-pcr", i + "=" + hex)));
    Run verify =
        teecVerify(
            Stream.concat(
                    Stream.of("bundle", "--emulated", "--json", bundle.toString()), pcrs.stream())
                .toArray(String[]::new));
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    JsonNode verdict = JSON.readTree(verify.out());
    assertThat(verdict.get("verified").asBoolean()).isTrue();
    assertThat(verdict.get("emulated").asBoolean()).isTrue();
    assertThat(verdict.get("warnings").toString()).contains("bundle.emulated");
    Run strict = teecVerify("bundle", "--json", bundle.toString());
    assertThat(strict.exit()).as("without --emulated").isEqualTo(1);
    JsonNode rejected = JSON.readTree(strict.out());
    assertThat(rejected.get("failures").toString()).contains("bundle.attestation");
    assertThat(rejected.get("attestation").get("failures").toString()).contains("cose.algorithm");

    ReadBundle read =
        new BundleReader(BundleLimits.defaults())
            .read(bundle, Files.createDirectories(temp.resolve("x-" + image.language())));
    JsonNode cose = CBOR.readTree(read.attestationCbor());
    JsonNode doc = CBOR.readTree(cose.get(2).binaryValue());
    for (int i = 0; i <= 2; i++) {
      assertThat(HexFormat.of().formatHex(doc.get("pcrs").get(String.valueOf(i)).binaryValue()))
          .as("PCR%d attested = PCR%d of teec emulator image (teec image measure)", i, i)
          .isEqualTo(image.pcrs().get(i));
    }
    assertThat(doc.get("user_data").binaryValue())
        .isEqualTo(MessageDigest.getInstance("SHA-384").digest(read.reportJson()));
    ProvenanceReport report = read.checkConsistency();
    assertThat(report.builderId()).isEqualTo(ProvenanceReport.BUILDER_NITRO);
    assertThat(report.internalParameters().enclave()).contains(new EnclaveRuntime("/dev/nsm", 2));
    return report;
  }

  /** No enclave is recorded and no QEMU or backend of this TEEC_HOME runs. */
  private static void assertNothingLeft() throws IOException {
    EmulatorHome home = EmulatorTier.home();
    try (Stream<Path> left = Files.list(home.run())) {
      assertThat(left.filter(Files::isDirectory)).as("enclave run directories").isEmpty();
    }
    assertThat(
            ProcessHandle.allProcesses()
                .filter(
                    p ->
                        p.info()
                            .commandLine()
                            .map(c -> c.contains(home.run().toString()))
                            .orElse(false)))
        .as("QEMU or vhost-device-vsock of " + home.run())
        .isEmpty();
  }

  private record Run(int exit, String out, String err) {}

  private Run teec(String... args) throws Exception {
    return java("dev.teec.cli.Teec", args);
  }

  private Run teecVerify(String... args) throws Exception {
    return java("dev.teec.cli.TeecVerify", args);
  }

  /** Runs a CLI main class in a JVM of its own; its stderr is copied to ours as it comes. */
  private Run java(String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-cp", EmulatorTier.cliJar().toString(), mainClass));
    command.addAll(List.of(args));
    Path err = Files.createTempFile(temp, "stderr", ".txt");
    Process p =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectError(err.toFile())
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within an hour");
    }
    String stderr = Files.readString(err);
    System.err.print(stderr);
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), stderr);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
