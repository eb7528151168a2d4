package dev.teec.verifier.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.teec.enclave.nsm.AttestationRequest;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.enclave.runner.SourceArchive;
import dev.teec.enclave.worker.BuildJob;
import dev.teec.enclave.worker.ClaimedSource;
import dev.teec.enclave.worker.Worker;
import dev.teec.enclave.worker.WorkerConfig;
import dev.teec.enclave.worker.WorkerResult;
import dev.teec.formats.bundle.BundleLayout;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ExtractedFile;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.EphemeralSigningKey;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.Signer;
import dev.teec.formats.report.SourceInfo;
import dev.teec.formats.report.Subject;
import dev.teec.generator.CertRole;
import dev.teec.generator.DocumentSigner;
import dev.teec.generator.DocumentSpec;
import dev.teec.generator.SimulatedChain;
import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.ImageStatus;
import dev.teec.truststore.registry.Recipe;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistrySigner;
import dev.teec.verifier.Bytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Makes bundles for tests: one real build by the local worker (gcc, simulated NSM in a temporary
 * TEEC_HOME), and variants of it re-signed by "other builders" (fresh simulated NSM sessions, so
 * other module ids under the same simulated root) or deliberately inconsistent.
 */
public final class BundleForge {
  /** Nonce the base build was attested with. */
  public static final byte[] NONCE = new byte[16];

  public final Path dir;
  public final Map<String, String> env;
  public final Path base;
  private final Path home;
  private final SimulatedChain instanceChain =
      SimulatedChain.generate("teec-test-instance-root", Instant.now());
  private int counter;

  private BundleForge(Path dir, Path home, Path base) {
    this.dir = dir;
    this.home = home;
    this.env = Map.of("TEEC_HOME", home.toString());
    this.base = base;
  }

  /** Builds the base bundle with the local worker. */
  public static BundleForge create(Path dir) throws Exception {
    Path home = dir.resolve("teec-home");
    SimulatedNsm nsm = SimulatedNsm.open(home, Clock.systemUTC(), identity());
    Worker worker =
        new Worker(
            WorkerConfig.local(
                nsm,
                RunnerConfig.defaults().withBuildRoot(dir.resolve("build")),
                "test",
                Clock.systemUTC()));
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -o hello hello.c\"},"
            + "\"output\":{\"files\":[\"hello\"]}}";
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("build.json"), buildJson);
    Files.writeString(src.resolve("hello.c"), "int main(void) { return 0; }\n");
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    SourceArchive.write(src, SourceArchive.listFiles(src), archive);
    Path bundle = dir.resolve("bundle.tar");
    WorkerResult r =
        worker.build(
            new BuildJob(
                buildJson.getBytes(StandardCharsets.UTF_8), NONCE, ClaimedSource.unknown()),
            new ByteArrayInputStream(archive.toByteArray()),
            bundle,
            line -> {});
    if (!r.succeeded()) {
      throw new IllegalStateException("the base build failed: " + r);
    }
    return new BundleForge(dir, home, bundle);
  }

  public static WorkerIdentity identity() {
    return WorkerIdentity.of("t", "r", "c");
  }

  /**
   * The parts of a bundle, in memory.
   *
   * @param executables the names of the artifacts whose entries have mode 0755 (the others 0644)
   */
  public record Parts(
      byte[] report,
      byte[] dsse,
      byte[] attestation,
      byte[] log,
      SortedMap<String, byte[]> artifacts,
      Set<String> executables) {
    /** Replaces or adds an artifact; an added one is executable, a replaced one keeps its mode. */
    public Parts withArtifact(String name, byte[] content) {
      SortedMap<String, byte[]> a = new TreeMap<>(artifacts);
      Set<String> x = new TreeSet<>(executables);
      if (a.put(name, content) == null) {
        x.add(name);
      }
      return new Parts(report, dsse, attestation, log, a, x);
    }

    /** Sets an artifact's tar mode only: 0755 when {@code executable}, else 0644. */
    public Parts withMode(String name, boolean executable) {
      Set<String> x = new TreeSet<>(executables);
      if (executable) {
        x.add(name);
      } else {
        x.remove(name);
      }
      return new Parts(report, dsse, attestation, log, artifacts, x);
    }

    public Parts withReport(byte[] newReport) {
      return new Parts(newReport, dsse, attestation, log, artifacts, executables);
    }

    public Parts withAttestation(byte[] newAttestation) {
      return new Parts(report, dsse, newAttestation, log, artifacts, executables);
    }

    public Parts withDsse(byte[] newDsse) {
      return new Parts(report, newDsse, attestation, log, artifacts, executables);
    }

    public ProvenanceReport parsedReport() throws Exception {
      return ProvenanceReport.parse(report);
    }
  }

  public Parts read(Path bundle) throws IOException {
    Path extract = Files.createTempDirectory(dir, "read-");
    ReadBundle read = new BundleReader(BundleLimits.defaults()).read(bundle, extract);
    SortedMap<String, byte[]> artifacts = new TreeMap<>();
    Set<String> executables = new TreeSet<>();
    for (ExtractedFile f : read.artifacts()) {
      artifacts.put(f.name(), Files.readAllBytes(f.file()));
      if (f.executable()) {
        executables.add(f.name());
      }
    }
    return new Parts(
        read.reportJson(),
        read.reportDsseJson(),
        read.attestationCbor(),
        Files.readAllBytes(read.buildLog().file()),
        artifacts,
        executables);
  }

  /** Writes the parts as a bundle tar, whether or not they are consistent. */
  public Path write(String name, Parts p) throws IOException {
    TarBytes tar = new TarBytes();
    p.artifacts()
        .forEach(
            (n, content) ->
                tar.file(
                    BundleLayout.ARTIFACTS_PREFIX + n,
                    content,
                    BundleLayout.artifactMode(p.executables().contains(n))));
    tar.file(BundleLayout.ATTESTATION, p.attestation(), 0644);
    tar.file(BundleLayout.BUILD_LOG, p.log(), 0644);
    tar.file(BundleLayout.REPORT_DSSE, p.dsse(), 0644);
    tar.file(BundleLayout.REPORT, p.report(), 0644);
    Path out = dir.resolve(name);
    Files.write(out, tar.finish());
    return out;
  }

  /**
   * Writes {@code dir/name}: a registry of {@code version}, valid from an hour ago for a day and
   * signed by {@code signer}, whose one image {@code c-gcc} has this forge's PCR0..2.
   */
  public Path registry(String name, long version, ImageStatus status, ECKey signer)
      throws IOException {
    Map<Integer, byte[]> pcrs = identity().pcrs();
    Instant now = Instant.now();
    ImageEntry image =
        new ImageEntry(
            "c-gcc",
            "c",
            new TreeMap<>(Map.of("gcc", "12")),
            "C builder",
            new Recipe("https://example.org/images", "0123456789abcdef0123456789abcdef01234567"),
            new TreeMap<>(
                Map.of(
                    0, Bytes.of(pcrs.get(0)), 1, Bytes.of(pcrs.get(1)), 2, Bytes.of(pcrs.get(2)))),
            now.minusSeconds(86400),
            Optional.empty(),
            status);
    Registry r =
        new Registry(
            version, now.minusSeconds(3600), now.plusSeconds(86400), List.of(image), List.of());
    return Files.writeString(dir.resolve(name), RegistrySigner.sign(r, signer));
  }

  /** A new simulated builder: same root and image PCRs, a new module id. */
  public SimulatedNsm otherBuilder() throws Exception {
    return SimulatedNsm.open(home, Clock.systemUTC(), identity());
  }

  /** Something that attests a request: a simulated NSM, or an enclave on a given instance. */
  @FunctionalInterface
  public interface Attestor {
    byte[] attest(AttestationRequest request) throws Exception;
  }

  /**
   * The root that stands in for AWS's in tests of parent instances: documents under it carry Nitro
   * module ids ({@link #onInstance}), and a vote is told to read them as AWS's ({@code
   * Vote.Builder.instanceRoots}). The simulated NSM's module ids ({@code sim-i-...}) never have
   * that form.
   */
  public X509Certificate instanceRoot() throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(instanceChain.certificate(CertRole.ROOT)));
  }

  /**
   * An enclave launch on a parent instance: documents with {@code moduleId}, under {@link
   * #instanceRoot}.
   */
  public Attestor onInstance(String moduleId) {
    return request ->
        DocumentSigner.sign(
            instanceChain,
            DocumentSpec.builder(
                    moduleId, Instant.now().truncatedTo(ChronoUnit.MILLIS), identity().pcrs())
                .publicKey(request.publicKey())
                .userData(request.userData())
                .nonce(request.nonce())
                .build());
  }

  /**
   * Re-signs {@code p} as {@code nsm} would have: the report (changed by {@code change}, with a new
   * invocation id) in a DSSE envelope under a fresh key, attested with user_data = its SHA-384.
   */
  public Parts resign(Parts p, SimulatedNsm nsm, UnaryOperator<ProvenanceReport> change)
      throws Exception {
    return resign(p, (Attestor) nsm::attest, change);
  }

  /** Like {@link #resign(Parts, SimulatedNsm, UnaryOperator)}, attested by {@code attestor}. */
  public Parts resign(Parts p, Attestor attestor, UnaryOperator<ProvenanceReport> change)
      throws Exception {
    EphemeralSigningKey key = EphemeralSigningKey.generate(new SecureRandom());
    return resign(p, attestor, key, key.publicKeyDer(), change);
  }

  /**
   * Like {@link #resign(Parts, Attestor, UnaryOperator)}, with this envelope signer, attesting
   * {@code publicKeyDer} as its key.
   */
  public Parts resign(
      Parts p,
      Attestor attestor,
      Signer key,
      byte[] publicKeyDer,
      UnaryOperator<ProvenanceReport> change)
      throws Exception {
    ProvenanceReport r = change.apply(p.parsedReport());
    r = copy(r, r.subjects(), r.source(), "forged-" + (++counter));
    return resignBytes(p, attestor, key, publicKeyDer, r.canonicalBytes());
  }

  /** Attests and signs {@code report} as it is, valid report or not, as {@code nsm} would. */
  public Parts resignBytes(Parts p, SimulatedNsm nsm, byte[] report) throws Exception {
    EphemeralSigningKey key = EphemeralSigningKey.generate(new SecureRandom());
    return resignBytes(p, (Attestor) nsm::attest, key, key.publicKeyDer(), report);
  }

  private Parts resignBytes(
      Parts p, Attestor attestor, Signer key, byte[] publicKeyDer, byte[] report) throws Exception {
    byte[] dsse = Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, report, key).toJson();
    byte[] attestation =
        attestor.attest(
            new AttestationRequest(
                MessageDigest.getInstance("SHA-384").digest(report), NONCE, publicKeyDer));
    return new Parts(report, dsse, attestation, p.log(), p.artifacts(), p.executables());
  }

  /**
   * A variant with {@code name}'s content replaced and its subject digest updated, re-signed by
   * {@code nsm}.
   */
  public Parts withOutput(Parts p, SimulatedNsm nsm, String name, byte[] content) throws Exception {
    return withOutput(p, (Attestor) nsm::attest, name, content);
  }

  /**
   * Like {@link #withOutput(Parts, SimulatedNsm, String, byte[])}, attested by {@code attestor}.
   */
  public Parts withOutput(Parts p, Attestor attestor, String name, byte[] content)
      throws Exception {
    String digest = sha256(content);
    Parts changed = p.withArtifact(name, content);
    boolean executable = changed.executables().contains(name);
    return resign(changed, attestor, r -> withSubject(r, name, digest, executable));
  }

  /** A copy of {@code r} whose subject {@code name} (replaced or added) is as given. */
  public static ProvenanceReport withSubject(
      ProvenanceReport r, String name, String sha256, boolean executable) {
    List<Subject> subjects =
        new java.util.ArrayList<>(
            r.subjects().stream().filter(s -> !s.name().equals(name)).toList());
    subjects.add(new Subject(name, sha256, executable));
    return copy(r, subjects, r.source(), r.invocationId());
  }

  public static ProvenanceReport withSource(ProvenanceReport r, SourceInfo source) {
    return copy(r, r.subjects(), source, r.invocationId());
  }

  public static ProvenanceReport copy(
      ProvenanceReport r, List<Subject> subjects, SourceInfo source, String invocationId) {
    return copy(r, subjects, r.buildJson(), source, invocationId);
  }

  public static ProvenanceReport withBuildJson(ProvenanceReport r, JsonNode buildJson) {
    return copy(r, r.subjects(), buildJson, r.source(), r.invocationId());
  }

  private static ProvenanceReport copy(
      ProvenanceReport r,
      List<Subject> subjects,
      JsonNode buildJson,
      SourceInfo source,
      String invocationId) {
    return new ProvenanceReport(
        subjects,
        r.buildType(),
        buildJson,
        source,
        r.internalParameters(),
        r.enclaveImage(),
        r.networkResources(),
        r.builderId(),
        r.builderVersion(),
        invocationId,
        r.startedOn(),
        r.finishedOn(),
        r.buildLogSha256(),
        r.exitCode());
  }

  public static ProvenanceReport copyWithImagePcr0(ProvenanceReport r, String pcr0) {
    Map<Integer, String> pcrs = new TreeMap<>(r.enclaveImage().pcrs());
    pcrs.put(0, pcr0);
    return new ProvenanceReport(
        r.subjects(),
        r.buildType(),
        r.buildJson(),
        r.source(),
        r.internalParameters(),
        new dev.teec.formats.report.EnclaveImage(pcrs, r.enclaveImage().registryId()),
        r.networkResources(),
        r.builderId(),
        r.builderVersion(),
        r.invocationId(),
        r.startedOn(),
        r.finishedOn(),
        r.buildLogSha256(),
        r.exitCode());
  }

  public static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
