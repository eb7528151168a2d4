package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.formats.report.DsseEnvelope;
import dev.teec.verifier.bundle.BundleForge;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sigstore's cosign verifies a bundle's envelope with the key {@code teec bundle key} prints, and
 * refuses the envelope attacks teec refuses (SPEC W5, C9). Runs the README's commands word for word
 * when cosign is on PATH, and is skipped with the reason printed otherwise.
 */
class CosignInteropTest {
  /** The README's commands, with the README's bundle name. */
  static final String README_BUNDLE = "../hello.teec.tar";

  static final List<String> KEY_ARGS = List.of("bundle", "key", "--simulated", "--any-image");
  static final List<String> TAR =
      List.of("tar", "-xf", README_BUNDLE, "teec/report.dsse.json", "artifacts/hello");
  static final List<String> COSIGN =
      List.of(
          "cosign",
          "verify-blob-attestation",
          "--key",
          "key.pem",
          "--signature",
          "teec/report.dsse.json",
          "--type",
          "https://slsa.dev/provenance/v1",
          "--insecure-ignore-tlog=true",
          "artifacts/hello");

  /** What cosign 2.5 says when no signature verifies with the key. */
  static final String SIGNATURE_REFUSED = "accepted signatures do not match threshold, Found: 0";

  @TempDir static Path tmp;
  private static BundleForge forge;
  private static BundleForge.Parts parts;
  private static Path cosign;
  private static String skipReason;

  /** Skips the calling test, with the reason, when cosign is not installed. */
  private static void assumeCosign() {
    Assumptions.assumeTrue(skipReason == null, skipReason);
  }

  @BeforeAll
  static void setUp() throws Exception {
    String given = System.getProperty("teec.test.cosign");
    cosign = given != null ? Path.of(given) : onPath("cosign").orElse(null);
    if (cosign == null || !Files.isExecutable(cosign)) {
      skipReason =
          "cosign is not installed ("
              + (given != null ? "-Dteec.test.cosign=" + given : "not on PATH")
              + "): the cosign tests are skipped (Debian 13: apt-get install cosign)";
      System.out.println(skipReason);
      return;
    }
    forge = BundleForge.create(tmp.resolve("forge"));
    parts = forge.read(forge.base);
    Result version = run(tmp, List.of("cosign", "version", "--json"));
    System.out.println(
        "CosignInteropTest runs " + cosign + " " + version.out().replaceAll("\\s+", " "));
  }

  @Test
  void readme_showsTheCommandsThisTestRuns() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(readme)
        .contains("teec " + String.join(" ", KEY_ARGS) + " " + README_BUNDLE + " > key.pem\n")
        .contains(String.join(" ", TAR) + "\n")
        .contains(String.join(" ", COSIGN) + "\n");
  }

  @Test
  void cosign_workerBundleWithTheKeyTeecPrints_verifies() throws Exception {
    assumeCosign();
    Result r = cosignOn("genuine", forge.base);
    System.out.println("cosign on the genuine bundle: " + r.err().strip());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.err()).contains("Verified OK");
  }

  @Test
  void cosign_envelopeSignedByAnotherKey_isRefused() throws Exception {
    assumeCosign();
    assertRefusedByBoth(
        "other-key", BundleKeyCommandTest.signedByAnotherKey(parts.report()), SIGNATURE_REFUSED);
  }

  @Test
  void cosign_envelopePayloadChanged_isRefused() throws Exception {
    assumeCosign();
    DsseEnvelope e = DsseEnvelope.parse(parts.dsse());
    // Another statement with the same subject, so only the signature can catch it.
    byte[] payload =
        new String(e.payload(), StandardCharsets.UTF_8)
            .replace("gcc -o hello hello.c", "gcc -o hello evil.c")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(payload).isNotEqualTo(e.payload());
    assertRefusedByBoth(
        "payload",
        new DsseEnvelope(e.payloadType(), payload, e.signatures()).toJson(),
        SIGNATURE_REFUSED);
  }

  @Test
  void cosign_envelopePayloadTypeChanged_isRefused() throws Exception {
    assumeCosign();
    DsseEnvelope e = DsseEnvelope.parse(parts.dsse());
    assertRefusedByBoth(
        "payload-type",
        new DsseEnvelope("application/vnd.in-toto.v1+json", e.payload(), e.signatures()).toJson(),
        "invalid payloadType application/vnd.in-toto.v1+json");
  }

  @Test
  void cosign_otherArtifact_isRefused() throws Exception {
    assumeCosign();
    Path dir = extract("other-artifact", forge.base);
    Files.writeString(dir.resolve("artifacts/hello"), "not the built program");
    Result r = run(dir, COSIGN);
    System.out.println("cosign on another artifact: " + r.err().strip());
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(r.err()).doesNotContain("Verified OK").contains("no matching subject digest");
  }

  /**
   * teec refuses a bundle with {@code envelope} (bundle.dsse fails, no key printed), and cosign
   * refuses the envelope with the genuine bundle's key.
   */
  private static void assertRefusedByBoth(String name, byte[] envelope, String cosignSays)
      throws Exception {
    Path bundle = forge.write(name + ".tar", parts.withDsse(envelope));
    CliRun teec =
        BundleKeyCommandTest.teec(
            forge, "bundle", "key", "--simulated", "--any-image", bundle.toString());
    assertThat(teec.exitCode()).as(teec.toString()).isEqualTo(1);
    assertThat(teec.out()).isEmpty();
    assertThat(teec.err()).contains("FAIL  bundle.dsse");

    Path dir = extract(name, forge.base);
    Files.write(dir.resolve("teec/report.dsse.json"), envelope);
    Result r = run(dir, COSIGN);
    System.out.println("cosign on " + name + ": " + r.err().strip());
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(r.err()).doesNotContain("Verified OK").contains(cosignSays);
  }

  /** README steps 1 and 2 in a new directory: the key from teec, the two files from the tar. */
  private static Path extract(String name, Path bundle) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name).resolve("work"));
    Files.copy(bundle, dir.resolve(README_BUNDLE).normalize());
    // In-process, so the bundle's path is given from the JVM's directory, not from dir.
    List<String> args = new ArrayList<>(KEY_ARGS);
    args.add(dir.resolve(README_BUNDLE).toString());
    CliRun key = BundleKeyCommandTest.teec(forge, args.toArray(String[]::new));
    assertThat(key.exitCode()).as(key.toString()).isZero();
    Files.writeString(dir.resolve("key.pem"), key.out());
    Result tar = run(dir, TAR);
    assertThat(tar.exit()).as(tar.toString()).isZero();
    return dir;
  }

  private static Result cosignOn(String name, Path bundle) throws Exception {
    return run(extract(name, bundle), COSIGN);
  }

  record Result(int exit, String out, String err) {}

  private static Result run(Path dir, List<String> command) throws Exception {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    List<String> resolved = new ArrayList<>(command);
    if (resolved.get(0).equals("cosign")) {
      resolved.set(0, cosign.toString());
    }
    ProcessBuilder pb =
        new ProcessBuilder(resolved)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    // cosign keeps state under HOME (~/.sigstore); keep it out of the user's.
    pb.environment().put("HOME", tmp.resolve("home").toString());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
