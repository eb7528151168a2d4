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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator tier, end to end through the commands a user runs (each a separate {@code java}
 * process of the CLI jar): {@code teec build --mode emulated} builds the C demo (without {@code
 * --eif}: the command builds or reuses the image itself) and the Maven sample (its dependency
 * through the host egress forwarder; with {@code -Dteec.emulator.extraCaCerts=FILE} in an image
 * made by {@code teec emulator image maven --extra-ca-certs FILE}) under QEMU; {@code teec-verify
 * bundle --emulated} accepts each bundle, and rejects it without the option; the attestation is
 * QEMU's unsigned document from the worker's {@code /dev/nsm}, with the EIF's PCRs and user_data =
 * SHA-384 of the report; the report records the device NSM and the parent CID; {@code teec
 * challenge reproduce --mode emulated} rebuilds the C demo byte for byte. No enclave, QEMU or
 * socket outlives a command. Figures (lines starting {@code figure:}) go to stderr.
 */
class EmulatedBuildIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private static final Pattern ENCLAVE_ID =
      Pattern.compile("teec: worker: enclave (i-[0-9a-f]{17}-enc[0-9a-f]{16}) ");

  @TempDir Path temp;

  @Test
  void cDemo_buildWithoutEif_verify_reproduce() throws Exception {
    Path project = Files.createDirectories(temp.resolve("hello-c"));
    for (String name : List.of("build.json", "hello.c")) {
      try (InputStream in = getClass().getResourceAsStream("/dev/teec/cli/demo/" + name)) {
        Files.copy(in, project.resolve(name));
      }
    }
    ImageResult image = EmulatorTier.image("c");
    Path bundle = temp.resolve("hello.tar");
    Run build = build(project, "c", Optional.empty(), bundle);
    assertThat(build.err())
        .as("without --eif the build uses the image teec emulator image c made, and says so")
        .contains(
            "enclave image: the emulator's image for c (reused as 'teec emulator image c' does;"
                + " no --eif given): "
                + image.path());
    ProvenanceReport report = verify(build, "c", image.pcrs(), bundle);
    assertThat(report.subjects()).extracting(Subject::name).containsExactly("hello");

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
    reproduce.figures("teec challenge reproduce --mode emulated (c)");
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
    String extraCaCerts = System.getProperty("teec.emulator.extraCaCerts", "").strip();
    Path eif;
    Map<Integer, String> pcrs;
    if (extraCaCerts.isEmpty()) {
      ImageResult image = EmulatorTier.image("maven");
      eif = image.path();
      pcrs = image.pcrs();
    } else {
      JsonNode image = imageWithExtraCaCerts("maven", Path.of(extraCaCerts));
      eif = Path.of(image.get("path").asText());
      pcrs = new TreeMap<>();
      for (int i = 0; i <= 2; i++) {
        pcrs.put(i, image.get("pcrs").get(String.valueOf(i)).asText());
      }
    }
    Path bundle = temp.resolve("maven.tar");
    ProvenanceReport report =
        verify(build(project, "maven", Optional.of(eif), bundle), "maven", pcrs, bundle);
    assertThat(report.networkResources())
        .extracting(NetworkResource::uri)
        .anyMatch(u -> u.endsWith("/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar"));
    assertThat(report.networkResources()).allMatch(r -> r.sha256() != null);
    assertNothingLeft();
  }

  /**
   * {@code teec emulator image LANGUAGE --extra-ca-certs FILE --json}: the image lists exactly the
   * file's certificates (SHA-256 of each DER, as the JDK reads the file).
   */
  private JsonNode imageWithExtraCaCerts(String language, Path file) throws Exception {
    Run run =
        teec(
            "emulator",
            "image",
            language,
            "--extra-ca-certs",
            file.toString(),
            "--worker-jar",
            EmulatorTier.cliJar().toString(),
            "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode image = JSON.readTree(run.out());
    System.err.printf(
        "figure: teec emulator image %s --extra-ca-certs: %s%n",
        language, image.get("reused").asBoolean() ? "reused" : image.get("seconds") + " s");
    Set<String> expected = new LinkedHashSet<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        expected.add(
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded())));
      }
    }
    List<String> listed = new ArrayList<>();
    image.get("extraCaCerts").forEach(c -> listed.add(c.get("sha256").asText()));
    assertThat(listed).containsExactlyElementsOf(expected);
    assertThat(run.err()).contains("WARNING: the image also trusts for upstream TLS: ");
    return image;
  }

  /** {@code teec build DIR --mode emulated [--eif EIF] --json}: succeeds, says EMULATED. */
  private Run build(Path project, String language, Optional<Path> eif, Path bundle)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "build",
                project.toString(),
                "--mode",
                "emulated",
                "--out",
                bundle.toString(),
                "--json"));
    eif.ifPresent(e -> args.addAll(List.of("--eif", e.toString())));
    Run build = teec(args.toArray(String[]::new));
    build.figures("teec build --mode emulated (" + language + ")");
    assertThat(build.exit()).as(build.err()).isZero();
    JsonNode summary = JSON.readTree(build.out());
    assertThat(summary.get("mode").asText()).isEqualTo("emulated");
    assertThat(summary.get("emulated").asBoolean()).isTrue();
    assertThat(summary.get("simulated").asBoolean()).isFalse();
    return build;
  }

  /** Checks the bundle of {@code build} every way; returns its report. */
  private ProvenanceReport verify(
      Run build, String language, Map<Integer, String> pcrs, Path bundle) throws Exception {
    List<String> expect = new ArrayList<>();
    pcrs.forEach((i, hex) -> expect.addAll(List.of("--expect-pcr", i + "=" + hex)));
    Run verify =
        teecVerify(
            Stream.concat(
                    Stream.of("bundle", "--emulated", "--json", bundle.toString()), expect.stream())
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
            .read(bundle, Files.createDirectories(temp.resolve("x-" + language)));
    JsonNode cose = CBOR.readTree(read.attestationCbor());
    // QEMU's NSM signs nothing: protected header {1: -1}, a 64-byte zero signature, a zero
    // certificate and a one-element CA bundle (what teec-verify --emulated accepts, and only that).
    JsonNode protectedHeader = CBOR.readTree(cose.get(0).binaryValue());
    assertThat(protectedHeader.size()).isEqualTo(1);
    assertThat(protectedHeader.path("1").asInt()).isEqualTo(-1);
    assertThat(cose.get(3).binaryValue()).isEqualTo(new byte[64]);
    JsonNode doc = CBOR.readTree(cose.get(2).binaryValue());
    assertThat(doc.get("cabundle").size()).isEqualTo(1);
    assertThat(doc.get("certificate").binaryValue()).isEqualTo(new byte[64]);
    assertThat(doc.get("digest").asText()).isEqualTo("SHA384");
    Matcher id = ENCLAVE_ID.matcher(build.err());
    assertThat(id.find()).as("the build names its enclave: " + build.err()).isTrue();
    assertThat(doc.get("module_id").asText())
        .as("QEMU's id= of the enclave")
        .isEqualTo(id.group(1));
    for (int i = 0; i <= 2; i++) {
      assertThat(HexFormat.of().formatHex(doc.get("pcrs").get(String.valueOf(i)).binaryValue()))
          .as("PCR%d attested = PCR%d of teec emulator image (teec image measure)", i, i)
          .isEqualTo(pcrs.get(i));
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

  /** A finished command: exit code, stdout, stderr, and when (since its start) each line came. */
  private record Run(int exit, String out, String err, List<Line> lines) {
    /**
     * Prints how long the command's phases took (the build client's {@code ==>} lines): boot to
     * worker ready is from starting the enclave to sending the source (the worker answered).
     */
    void figures(String what) {
      double end = lines.isEmpty() ? 0 : lines.get(lines.size() - 1).seconds();
      System.err.printf("figure: %s, end to end: %.1f s%n", what, end);
      List<Line> phases = lines.stream().filter(l -> l.text().startsWith("==> ")).toList();
      for (int i = 0; i < phases.size(); i++) {
        double until = i + 1 < phases.size() ? phases.get(i + 1).seconds() : end;
        System.err.printf(
            "figure: %s, %s: %.1f s%n",
            what, phases.get(i).text().substring(4), until - phases.get(i).seconds());
      }
    }
  }

  private record Line(double seconds, String text) {}

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
    long started = System.nanoTime();
    Process p =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    List<Line> lines = new CopyOnWriteArrayList<>();
    StringBuilder err = new StringBuilder();
    Thread errors =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(new Line((System.nanoTime() - started) / 1e9, line));
                  synchronized (err) {
                    err.append(line).append('\n');
                  }
                  System.err.println(line);
                }
              } catch (IOException e) {
                System.err.println("reading the command's stderr: " + e);
              }
            });
    errors.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within an hour");
    }
    errors.join();
    lines.add(new Line((System.nanoTime() - started) / 1e9, ""));
    return new Run(
        p.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(), List.copyOf(lines));
  }
}
