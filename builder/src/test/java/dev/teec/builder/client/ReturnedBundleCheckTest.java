package dev.teec.builder.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.enclave.runner.SourceArchive;
import dev.teec.enclave.worker.BuildJob;
import dev.teec.enclave.worker.ClaimedSource;
import dev.teec.enclave.worker.Worker;
import dev.teec.enclave.worker.WorkerConfig;
import dev.teec.enclave.worker.WorkerResult;
import dev.teec.formats.bundle.BundleArtifact;
import dev.teec.formats.bundle.BundleContents;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.BundleWriter;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.bundle.VerifiedBundle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's checks on a returned bundle, on bundles made by a real (in-process) worker. */
class ReturnedBundleCheckTest {
  private static final byte[] BUILD_JSON =
      ("{\"language\":\"c\",\"input\":{\"cmd\":\"printf one > out.txt\"},"
              + "\"output\":{\"files\":[\"out.txt\"]}}")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] NONCE = filled(32, 7);
  private static final byte[] OTHER_NONCE = filled(32, 9);

  @TempDir static Path tmp;
  private static SimulatedNsm nsm;
  private static String sourceSha256;
  private static Path bundleA;
  private static Path bundleB;

  @BeforeAll
  static void buildTwice() throws Exception {
    nsm =
        SimulatedNsm.open(tmp.resolve("home"), Clock.systemUTC(), WorkerIdentity.of("t", "r", "c"));
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.write(src.resolve("build.json"), BUILD_JSON);
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    sourceSha256 = SourceArchive.write(src, SourceArchive.listFiles(src), archive).sha256();
    Worker worker =
        new Worker(
            WorkerConfig.local(
                nsm,
                RunnerConfig.defaults().withBuildRoot(tmp.resolve("build")),
                "test",
                Clock.systemUTC()));
    bundleA = tmp.resolve("a.tar");
    bundleB = tmp.resolve("b.tar");
    for (Path out : List.of(bundleA, bundleB)) {
      WorkerResult r =
          worker.build(
              new BuildJob(BUILD_JSON, NONCE, ClaimedSource.unknown()),
              new ByteArrayInputStream(archive.toByteArray()),
              out,
              line -> {});
      assertThat(r.succeeded()).as(r.failure().orElse("")).isTrue();
    }
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  private ReturnedBundleCheck check(TrustAnchors anchors) {
    return new ReturnedBundleCheck(Clock.systemUTC(), anchors);
  }

  private ReturnedBundleCheck simulatedRoot() {
    return check(TrustAnchors.of(List.of(nsm.rootCertificate())));
  }

  private static Expectations expect(byte[] nonce, String sha256, Map<Integer, String> pcrs) {
    return new Expectations(
        nonce, BUILD_JSON, sha256, SourceMetadata.UNKNOWN, true, false, pcrs, false);
  }

  private Path extractDir(String name) throws Exception {
    return Files.createDirectories(tmp.resolve("x-" + name + "-" + System.nanoTime()));
  }

  @Test
  void check_matchingBundle_passes() throws Exception {
    Map<Integer, String> pcrs = Map.of(0, HexFormat.of().formatHex(nsm.pcrs().get(0)));
    Path work = extractDir("ok");
    VerifiedBundle checked =
        simulatedRoot().check(bundleA, work, expect(NONCE, sourceSha256, pcrs));
    assertThat(checked.report().subjects()).extracting(s -> s.name()).containsExactly("out.txt");
    assertThat(checked.reportSha384()).hasSize(96);
    try (var left = Files.list(work)) {
      assertThat(left).as("the verifier removes what it extracted").isEmpty();
    }
  }

  @Test
  void check_anotherBuildsNonce_attestationRejected() {
    assertThatThrownBy(
            () ->
                simulatedRoot()
                    .check(
                        bundleA, extractDir("nonce"), expect(OTHER_NONCE, sourceSha256, Map.of())))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> {
              assertThat(e.code()).isEqualTo(FailureCode.ATTESTATION_REJECTED);
              assertThat(e.getMessage()).contains("policy.nonce").contains("wrong nonce");
            });
  }

  @Test
  void check_attestationOfAnotherReport_wrongReportDigest() throws Exception {
    // Bundle B's report and envelope with bundle A's attestation (same nonce, other report digest).
    ReadBundle a = new BundleReader(BundleLimits.defaults()).read(bundleA, extractDir("a"));
    Path xb = extractDir("b");
    ReadBundle b = new BundleReader(BundleLimits.defaults()).read(bundleB, xb);
    assertThat(a.reportJson()).isNotEqualTo(b.reportJson());
    Path mixed = tmp.resolve("mixed-" + System.nanoTime() + ".tar");
    BundleWriter.write(
        mixed,
        new BundleContents(
            b.reportJson(),
            b.reportDsseJson(),
            a.attestationCbor(),
            b.buildLog().file(),
            b.artifacts().stream()
                .map(f -> new BundleArtifact(f.name(), f.file(), f.sha256(), f.executable()))
                .toList()));
    assertThatThrownBy(
            () ->
                simulatedRoot()
                    .check(mixed, extractDir("mixed"), expect(NONCE, sourceSha256, Map.of())))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> {
              assertThat(e.code()).isEqualTo(FailureCode.ATTESTATION_REJECTED);
              assertThat(e.getMessage())
                  .contains("policy.user_data")
                  .contains("wrong report digest");
            });
  }

  @Test
  void check_simulatedBundleAgainstTheAwsRoot_rejected() {
    assertThatThrownBy(
            () ->
                check(TrustAnchors.awsNitroEnclavesRootG1())
                    .check(bundleA, extractDir("aws"), expect(NONCE, sourceSha256, Map.of())))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> assertThat(e.code()).isEqualTo(FailureCode.ATTESTATION_REJECTED));
  }

  @Test
  void check_reportOfOtherSource_rejected() {
    assertThatThrownBy(
            () ->
                simulatedRoot()
                    .check(bundleA, extractDir("src"), expect(NONCE, "00".repeat(32), Map.of())))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> {
              assertThat(e.code()).isEqualTo(FailureCode.BUNDLE_REJECTED);
              assertThat(e.getMessage()).contains("source archive SHA-256");
            });
  }

  @Test
  void check_expectedNitroBuilder_localReportRejected() {
    Expectations nitro =
        new Expectations(
            NONCE, BUILD_JSON, sourceSha256, SourceMetadata.UNKNOWN, false, false, Map.of(), false);
    assertThatThrownBy(() -> simulatedRoot().check(bundleA, extractDir("builder"), nitro))
        .isInstanceOfSatisfying(
            BuildException.class, e -> assertThat(e.getMessage()).contains("builder id"));
  }

  @Test
  void check_truncatedBundle_malformed() throws Exception {
    byte[] bytes = Files.readAllBytes(bundleA);
    Path cut =
        Files.write(tmp.resolve("cut.tar"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(
            () ->
                simulatedRoot()
                    .check(cut, extractDir("cut"), expect(NONCE, sourceSha256, Map.of())))
        .isInstanceOfSatisfying(
            BuildException.class, e -> assertThat(e.code()).isEqualTo(FailureCode.BUNDLE_REJECTED));
  }
}
