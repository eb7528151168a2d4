package dev.teec.enclave.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.runner.BuildStatus;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.enclave.runner.SourceArchive;
import dev.teec.formats.buildspec.BuildSpecException;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ExtractedFile;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.EnclaveRuntime;
import dev.teec.formats.report.EnvelopeCurve;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.Policy;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker in local mode on a real gcc build, checked the way a verifier will check a bundle. */
class WorkerEndToEndTest {
  private static final String HELLO_C =
      "#include <stdio.h>\nint main(void) { puts(\"hello from teec\"); return 0; }\n";

  @TempDir Path tmp;
  private SimulatedNsm nsm;
  private Worker worker;
  private final List<String> log = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    nsm =
        SimulatedNsm.open(
            tmp.resolve("teec-home"),
            Clock.systemUTC(),
            WorkerIdentity.of("teec-worker test", "test runtime", "test code"));
    worker =
        new Worker(
            WorkerConfig.local(
                nsm,
                RunnerConfig.defaults().withBuildRoot(tmp.resolve("build")),
                "test",
                Clock.systemUTC()));
  }

  private byte[] sourceArchive(String buildJson, String... files) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("src-" + System.nanoTime()));
    Files.writeString(dir.resolve("build.json"), buildJson);
    for (int i = 0; i < files.length; i += 2) {
      Files.writeString(dir.resolve(files[i]), files[i + 1]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SourceArchive.write(dir, SourceArchive.listFiles(dir), out);
    return out.toByteArray();
  }

  private static BuildJob job(String buildJson, byte[] nonce) {
    return new BuildJob(buildJson.getBytes(StandardCharsets.UTF_8), nonce, ClaimedSource.unknown());
  }

  @Test
  void build_gccProgram_yieldsABundleWhoseEveryClaimChecks() throws Exception {
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -O2 -o hello hello.c\"},"
            + "\"output\":{\"files\":[\"hello\"]}}";
    byte[] nonce = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    Path bundlePath = tmp.resolve("out/bundle.tar");
    Files.createDirectories(bundlePath.getParent());

    WorkerResult result =
        worker.build(
            job(buildJson, nonce),
            new ByteArrayInputStream(sourceArchive(buildJson, "hello.c", HELLO_C)),
            bundlePath,
            log::add);

    assertThat(result.succeeded()).as("failure: %s, log: %s", result.failure(), log).isTrue();
    ReadBundle bundle =
        new BundleReader(BundleLimits.defaults())
            .read(bundlePath, Files.createDirectories(tmp.resolve("extract")));
    ProvenanceReport report = bundle.checkConsistency();

    // The attestation verifies under the simulated root (given explicitly) and binds the report.
    AttestationVerifier verifier =
        AttestationVerifier.builder()
            .trustAnchors(TrustAnchors.of(List.of(nsm.rootCertificate())))
            .build();
    byte[] reportBytes = bundle.reportJson();
    VerificationResult verdict =
        verifier.verify(
            bundle.attestationCbor(),
            VerificationOptions.builder()
                .policy(
                    Policy.builder()
                        .expectNonce(Bytes.of(nonce))
                        .expectUserData(
                            Bytes.of(MessageDigest.getInstance("SHA-384").digest(reportBytes)))
                        .build())
                .build());
    assertThat(verdict.failedChecks()).isEmpty();
    AttestationDocument doc = verdict.requireVerified().document();
    assertThat(doc.moduleId()).startsWith("sim-");
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-384").digest(reportBytes)))
        .isEqualTo(result.reportSha384().orElseThrow());

    // The DSSE envelope verifies with the attested public key and carries the same report.
    byte[] payload =
        Dsse.verify(
            bundle.reportDsseJson(),
            Dsse.IN_TOTO_PAYLOAD_TYPE,
            EnvelopeCurve.decodePublicKey(doc.publicKey().orElseThrow().toByteArray()));
    assertThat(payload).isEqualTo(reportBytes);

    // The report names the artifact by the hash of the bytes in the bundle, and the image by the
    // PCRs.
    ExtractedFile hello = bundle.artifacts().get(0);
    assertThat(hello.name()).isEqualTo("hello");
    assertThat(report.subject("hello").sha256()).isEqualTo(hello.sha256());
    assertThat(report.enclaveImage().pcrs().get(0)).isEqualTo(doc.pcr(0).orElseThrow().hex());
    assertThat(report.builderId()).isEqualTo(ProvenanceReport.BUILDER_LOCAL);
    assertThat(report.exitCode()).isZero();

    // And the artifact is the program.
    Process p = new ProcessBuilder(hello.file().toString()).redirectErrorStream(true).start();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("hello from teec\n");
    assertThat(p.waitFor()).isZero();
  }

  @Test
  void build_twice_givesTheSameArtifactAndReportContent() throws Exception {
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -g -o hello hello.c\"},"
            + "\"output\":{\"files\":[\"hello\"]}}";
    byte[] archive = sourceArchive(buildJson, "hello.c", HELLO_C);
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path out = tmp.resolve("bundle-" + i + ".tar");
      WorkerResult r =
          worker.build(
              job(buildJson, new byte[16]), new ByteArrayInputStream(archive), out, log::add);
      assertThat(r.succeeded()).isTrue();
      ReadBundle b =
          new BundleReader(BundleLimits.defaults())
              .read(out, Files.createDirectories(tmp.resolve("x" + i)));
      digests.add(b.checkConsistency().subject("hello").sha256());
    }
    assertThat(digests.get(0)).isEqualTo(digests.get(1));
  }

  @Test
  void build_inAnEnclave_reportRecordsTheNsmDeviceAndParentCid() throws Exception {
    WorkerConfig local =
        WorkerConfig.local(
            nsm,
            RunnerConfig.defaults().withBuildRoot(tmp.resolve("build-e")),
            "test",
            Clock.systemUTC());
    Worker enclaveWorker =
        new Worker(
            new WorkerConfig(
                    nsm,
                    true,
                    local.runner(),
                    local.upstream(),
                    List.of(),
                    null,
                    "test",
                    Clock.systemUTC(),
                    new java.security.SecureRandom())
                .withEnclaveRuntime(new EnclaveRuntime("/dev/nsm", 2)));
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"echo hi > x\"},\"output\":{\"files\":[\"x\"]}}";
    Path out = tmp.resolve("enclave-bundle.tar");
    WorkerResult r =
        enclaveWorker.build(
            job(buildJson, new byte[16]),
            new ByteArrayInputStream(sourceArchive(buildJson)),
            out,
            log::add);
    assertThat(r.succeeded()).as("%s %s", r.failure(), log).isTrue();
    ProvenanceReport report =
        new BundleReader(BundleLimits.defaults())
            .read(out, Files.createDirectories(tmp.resolve("extract-e")))
            .checkConsistency();
    assertThat(report.builderId()).isEqualTo(ProvenanceReport.BUILDER_NITRO);
    assertThat(report.internalParameters().enclave()).contains(new EnclaveRuntime("/dev/nsm", 2));
  }

  @Test
  void build_executableAndPlainOutputs_recordsEachOnesModeInReportAndTar() throws Exception {
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -o hello hello.c && printf n > notes.txt\"},"
            + "\"output\":{\"files\":[\"hello\",\"notes.txt\"]}}";
    Path out = tmp.resolve("modes.tar");
    WorkerResult r =
        worker.build(
            job(buildJson, new byte[16]),
            new ByteArrayInputStream(sourceArchive(buildJson, "hello.c", HELLO_C)),
            out,
            log::add);
    assertThat(r.succeeded()).as("%s %s", r.failure(), log).isTrue();
    ReadBundle bundle =
        new BundleReader(BundleLimits.defaults())
            .read(out, Files.createDirectories(tmp.resolve("modes")));
    ProvenanceReport report = bundle.checkConsistency();
    assertThat(report.subject("hello").executable()).isTrue();
    assertThat(report.subject("notes.txt").executable()).isFalse();
    assertThat(bundle.artifacts())
        .extracting(ExtractedFile::name, ExtractedFile::executable)
        .containsExactly(tuple("hello", true), tuple("notes.txt", false));
  }

  @Test
  void build_failingCommand_returnsTheLogAndWritesNoBundle() throws Exception {
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"echo compiling; exit 3\"},"
            + "\"output\":{\"files\":[\"hello\"]}}";
    Path out = tmp.resolve("bundle.tar");
    WorkerResult r =
        worker.build(
            job(buildJson, new byte[16]),
            new ByteArrayInputStream(sourceArchive(buildJson)),
            out,
            log::add);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.status()).isEqualTo(BuildStatus.FAILED);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(log).contains("compiling");
    assertThat(out).doesNotExist();
  }

  @Test
  void build_missingOutput_writesNoBundle() throws Exception {
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"true\"},\"output\":{\"files\":[\"hello\"]}}";
    Path out = tmp.resolve("bundle.tar");
    WorkerResult r =
        worker.build(
            job(buildJson, new byte[16]),
            new ByteArrayInputStream(sourceArchive(buildJson)),
            out,
            log::add);
    assertThat(r.status()).isEqualTo(BuildStatus.OUTPUT_INVALID);
    assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f).contains("hello"));
    assertThat(out).doesNotExist();
  }

  @Test
  void build_invalidBuildJson_isRejectedBeforeAnythingRuns() {
    String buildJson =
        "{\"language\":\"cobol\",\"input\":{\"cmd\":\"true\"},\"output\":{\"files\":[\"x\"]}}";
    assertThatThrownBy(
            () ->
                worker.build(
                    job(buildJson, new byte[16]),
                    new ByteArrayInputStream(new byte[0]),
                    tmp.resolve("b.tar"),
                    log::add))
        .isInstanceOf(BuildSpecException.class)
        .hasMessageContaining("$.language");
  }

  @Test
  void build_oversizedNonce_isRejectedBeforeTheBuild() {
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"true\"},\"output\":{\"files\":[\"x\"]}}";
    assertThatThrownBy(
            () ->
                worker.build(
                    job(buildJson, new byte[1025]),
                    new ByteArrayInputStream(new byte[0]),
                    tmp.resolve("b.tar"),
                    log::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nonce");
    assertThat(log).isEmpty();
  }

  @Test
  void build_inANetworkNamespace_reportsIsolationEnforced() throws Exception {
    org.assertj.core.api.Assumptions.assumeThat(
            dev.teec.enclave.runner.IsolationMode.networkNamespacesAvailable())
        .as("unshare --net permitted on this machine")
        .isTrue();
    Worker isolated =
        new Worker(
            WorkerConfig.local(
                nsm,
                RunnerConfig.defaults()
                    .withBuildRoot(tmp.resolve("build-ns"))
                    .withIsolation(dev.teec.enclave.runner.IsolationMode.NETWORK_NAMESPACE),
                "test",
                Clock.systemUTC()));
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -o hello hello.c\"},"
            + "\"output\":{\"files\":[\"hello\"]}}";
    Path out = tmp.resolve("ns-bundle.tar");
    WorkerResult r =
        isolated.build(
            job(buildJson, new byte[16]),
            new ByteArrayInputStream(sourceArchive(buildJson, "hello.c", HELLO_C)),
            out,
            log::add);
    assertThat(r.succeeded()).as("%s %s", r.failure(), log).isTrue();
    ProvenanceReport report =
        new BundleReader(BundleLimits.defaults())
            .read(out, Files.createDirectories(tmp.resolve("ns-x")))
            .checkConsistency();
    assertThat(report.internalParameters().isolation().enforced()).isTrue();
    assertThat(report.internalParameters().isolation().reason()).startsWith("linux-netns");
  }

  @Test
  void build_fetchWhoseUpstreamRefuses_namesTheProxysReasonInTheLog() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Worker fetching = workerAllowing("127.0.0.1", "build-fetch");
    String url = "http://127.0.0.1:" + closed + "/org/x/1.0/x-1.0.jar";
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"curl -s --noproxy '' -o /dev/null -w '%{http_code}\\\\n' "
            + url
            + "; exit 1\"},\"output\":{\"files\":[\"x\"]}}";
    WorkerResult r =
        fetching.build(
            job(buildJson, new byte[16]),
            new ByteArrayInputStream(sourceArchive(buildJson)),
            tmp.resolve("fetch.tar"),
            log::add);
    assertThat(r.succeeded()).isFalse();
    assertThat(log).contains("502");
    assertThat(log)
        .filteredOn(l -> l.startsWith("[teec: proxy: "))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("[teec: proxy: GET " + url + " -> 502: ")
        .contains("127.0.0.1:" + closed)
        .endsWith("]");
  }

  @Test
  void build_manyFailedFetches_namesAtMostTheLimitThenCountsTheRest() throws Exception {
    Worker fetching = workerAllowing("127.0.0.1", "build-many");
    int fetches = Worker.MAX_PROXY_NOTES + 3;
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"for i in $(seq "
            + fetches
            + "); do curl -s --noproxy '' -o /dev/null http://127.0.0.1:1/a$i; done; exit 1\"},"
            + "\"output\":{\"files\":[\"x\"]}}";
    WorkerResult r =
        fetching.build(
            job(buildJson, new byte[16]),
            new ByteArrayInputStream(sourceArchive(buildJson)),
            tmp.resolve("many.tar"),
            log::add);
    assertThat(r.succeeded()).isFalse();
    assertThat(log)
        .filteredOn(l -> l.startsWith("[teec: proxy: GET "))
        .hasSize(Worker.MAX_PROXY_NOTES);
    assertThat(log).contains("[teec: proxy: 3 more failed fetches not shown]");
  }

  @Test
  void proxyNote_controlCharactersInTheReason_areEscapedOnOneLine() {
    String note =
        Worker.proxyNote(
            dev.teec.enclave.proxy.NetworkRecord.failed(
                "GET", "https://h/p", 502, "upstream failed: x\n[teec: forged]\u001b[2J"));
    assertThat(note)
        .isEqualTo(
            "proxy: GET https://h/p -> 502: upstream failed: x\\u000a[teec: forged]\\u001b[2J")
        .doesNotContain("\n", "\u001b");
  }

  private Worker workerAllowing(String host, String buildRoot) {
    WorkerConfig local =
        WorkerConfig.local(
            nsm,
            RunnerConfig.defaults().withBuildRoot(tmp.resolve(buildRoot)),
            "test",
            Clock.systemUTC());
    return new Worker(
        new WorkerConfig(
            nsm,
            false,
            local.runner(),
            local.upstream(),
            List.of(host),
            null,
            "test",
            Clock.systemUTC(),
            new java.security.SecureRandom()));
  }
}
