package dev.teec.verifier.bundle;

import dev.teec.formats.bundle.BundleFormatException;
import dev.teec.formats.bundle.BundleLayout;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ExtractedFile;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.formats.files.FileTrees;
import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.EcP384;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.ReportFormatException;
import dev.teec.formats.report.SourceInfo;
import dev.teec.formats.report.Subject;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.Check;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.Policy;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.image.ImageLookup;
import dev.teec.verifier.image.ImageRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verifies build bundles (SPEC.md C2): an application builds one verifier with its trust anchors,
 * policy and expectations, then calls {@link #verify(Path)} for each bundle.
 *
 * <p><b>Guarantee.</b> A {@linkplain BundleVerification#verified() verified} bundle's artifacts are
 * byte for byte the outputs that the report lists; the report is the one whose SHA-384 an enclave
 * put into an attestation document that chains to a trusted root and satisfies the policy at the
 * chosen time; the DSSE envelope is signed by the key that same document attests; and every
 * expectation given (image, source, builder, nonce, user-supplied files) holds. Whether the image
 * is one you trust is only decided when a {@link ImageRegistry} or pinned PCRs are given; otherwise
 * the {@code bundle.image} check is a WARN that says so.
 *
 * <p>The tar is read by the strict {@link BundleReader}: hostile names, links, devices and
 * oversized entries are rejected before their content is read, and nothing is extracted outside a
 * fresh temporary directory, which is deleted before {@code verify} returns.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BundleVerifier {
  /**
   * Attestation checks that {@code bundle.image}, {@code bundle.binding} and {@code
   * bundle.expect.nonce} report.
   */
  private static final Set<CheckId> REPORTED_ELSEWHERE =
      EnumSet.of(
          CheckId.POLICY_USER_DATA,
          CheckId.POLICY_NONCE,
          CheckId.POLICY_PCRS,
          CheckId.POLICY_PCR_SETS);

  private final AttestationVerifier attestationVerifier;
  private final VerificationOptions options;
  private final String simulatedRootSha256;
  private final ImageRegistry registry;
  private final SourceExpectation expectedSource;
  private final String expectedBuilder;
  private final Map<String, Path> artifactFiles;
  private final Path artifactDirectory;
  private final BundleLimits limits;
  private final Path workDirectory;

  private BundleVerifier(Builder b) {
    List<X509Certificate> anchors = new ArrayList<>(b.trustAnchors.certificates());
    if (b.simulatedRoot != null) {
      anchors.add(b.simulatedRoot);
    }
    this.attestationVerifier =
        AttestationVerifier.builder().clock(b.clock).trustAnchors(TrustAnchors.of(anchors)).build();
    this.options = b.options;
    this.simulatedRootSha256 = b.simulatedRoot == null ? null : fingerprint(b.simulatedRoot);
    this.registry = b.registry;
    this.expectedSource = b.expectedSource;
    this.expectedBuilder = b.expectedBuilder;
    this.artifactFiles = Map.copyOf(b.artifactFiles);
    this.artifactDirectory = b.artifactDirectory;
    this.limits = b.limits;
    this.workDirectory = b.workDirectory;
  }

  /** A builder: system clock, the pinned AWS root, default options, no expectations. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies one bundle file. Problems with the bundle are failed checks in the result, never
   * exceptions.
   *
   * @param bundle the bundle tar
   * @return every check and what was read
   * @throws IOException if the bundle or a user-supplied artifact file cannot be read, or the
   *     temporary directory cannot be written: an environment failure, not a verdict
   */
  public BundleVerification verify(Path bundle) throws IOException {
    Path extract =
        workDirectory == null
            ? Files.createTempDirectory("teec-bundle-")
            : Files.createTempDirectory(workDirectory, "teec-bundle-");
    try {
      return new Run(bundle.toString()).run(bundle, extract);
    } finally {
      FileTrees.delete(extract);
    }
  }

  /** The state of one verification. */
  private final class Run {
    private final String input;
    private final List<BundleCheck> checks = new ArrayList<>();
    private final List<ArtifactResult> artifacts = new ArrayList<>();

    Run(String input) {
      this.input = input;
    }

    BundleVerification run(Path bundle, Path extract) throws IOException {
      ReadBundle read;
      try {
        read = new BundleReader(limits).read(bundle, extract);
        checks.add(
            BundleCheck.pass(
                "bundle.structure",
                "a well-formed bundle with " + read.artifacts().size() + " artifact(s)"));
      } catch (BundleFormatException e) {
        checks.add(BundleCheck.fail("bundle.structure", e.getMessage()));
        return new BundleVerification(
            input,
            checks,
            false,
            Optional.empty(),
            artifacts,
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
      }
      byte[] reportBytes = read.reportJson();
      ProvenanceReport report = report(read);
      VerificationResult attestation =
          attestationVerifier.verify(read.attestationCbor(), bound(reportBytes));
      Optional<AttestationDocument> doc = attestation.decodedUnverified();
      checks.add(attestationCheck(attestation));
      ImageLookup lookup = image(attestation, report);
      checks.add(binding(attestation));
      checks.add(dsse(read, doc));
      Map<String, Path> userFiles = userFiles(report);
      checks.add(subjects(report, read.artifacts(), userFiles));
      for (ExtractedFile a : read.artifacts()) {
        artifact(
            "bundle.artifact:" + a.name(), a.name(), a.sha256(), ArtifactResult.IN_BUNDLE, report);
      }
      for (Map.Entry<String, Path> f : userFiles.entrySet()) {
        artifact(
            "bundle.file:" + f.getKey(),
            f.getKey(),
            sha256(f.getValue()),
            f.getValue().toString(),
            report);
      }
      expectations(attestation, report, lookup);
      boolean simulated =
          simulatedRootSha256 != null
              && attestation.certificates().stream()
                  .anyMatch(c -> c.role().equals("root") && c.sha256().equals(simulatedRootSha256));
      if (simulated) {
        checks.add(
            BundleCheck.warn(
                "bundle.simulated",
                "SIMULATED: attested by the local simulated NSM, not by AWS Nitro hardware"));
      }
      Optional<BuilderIdentity> identity =
          doc.map(
              d ->
                  new BuilderIdentity(
                      d.moduleId(),
                      d.pcr(0).map(Bytes::hex).orElse(""),
                      lookup != null && lookup.outcome() == ImageLookup.Outcome.ACTIVE
                          ? lookup.imageId()
                          : null));
      return new BundleVerification(
          input,
          checks,
          simulated,
          Optional.ofNullable(report),
          artifacts,
          Optional.of(attestation),
          Optional.of(Bytes.of(read.attestationCbor())),
          identity);
    }

    /** Step 5, first half: the report parses strictly and the build log is the one it records. */
    private ProvenanceReport report(ReadBundle read) {
      ProvenanceReport report;
      try {
        report = ProvenanceReport.parse(read.reportJson());
      } catch (ReportFormatException e) {
        checks.add(
            BundleCheck.fail(
                "bundle.report",
                BundleLayout.REPORT
                    + " is not a valid in-toto/SLSA report (SPEC W3): "
                    + e.getMessage()));
        return null;
      }
      if (!report.buildLogSha256().equals(read.buildLog().sha256())) {
        checks.add(
            BundleCheck.fail(
                "bundle.report",
                BundleLayout.BUILD_LOG
                    + " has SHA-256 "
                    + read.buildLog().sha256()
                    + ", the report records "
                    + report.buildLogSha256()));
      } else {
        checks.add(
            BundleCheck.pass(
                "bundle.report",
                "a well-formed in-toto/SLSA report with "
                    + report.subjects().size()
                    + " subject(s); "
                    + BundleLayout.BUILD_LOG
                    + " is the log it records"));
      }
      return report;
    }

    /** The options with user_data pinned to the report's digest (step 4). */
    private VerificationOptions bound(byte[] reportBytes) {
      VerificationOptions.Builder b =
          VerificationOptions.builder()
              .time(options.time())
              .policy(
                  options.policy().toBuilder()
                      .expectUserData(Bytes.of(digest("SHA-384", reportBytes)))
                      .build());
      options.maxAge().ifPresent(b::maxAge);
      options.maxFutureSkew().ifPresent(b::maxFutureSkew);
      return b.build();
    }

    /** Step 2: every verifier-core check except those reported as image, binding and nonce. */
    private BundleCheck attestationCheck(VerificationResult attestation) {
      List<String> failed =
          attestation.failures().stream()
              .filter(id -> !REPORTED_ELSEWHERE.contains(id))
              .map(CheckId::id)
              .toList();
      if (!failed.isEmpty()) {
        return BundleCheck.fail(
            "bundle.attestation",
            BundleLayout.ATTESTATION + " is rejected: " + String.join(", ", failed));
      }
      return BundleCheck.pass(
          "bundle.attestation",
          BundleLayout.ATTESTATION
              + " verifies ("
              + attestation.timeMode().name().toLowerCase(Locale.ROOT)
              + " time"
              + attestation.verifiedAt().map(t -> " " + t).orElse("")
              + ")");
    }

    /**
     * Step 3: the report names the attested image, and that image is known (registry) or pinned
     * (policy PCRs); with neither, a WARN saying the image was not identified.
     *
     * @return the registry's answer, or null without a registry or document
     */
    private ImageLookup image(VerificationResult attestation, ProvenanceReport report) {
      Optional<AttestationDocument> doc = attestation.decodedUnverified();
      if (doc.isEmpty()) {
        checks.add(
            BundleCheck.skip("bundle.image", "not checked: the attestation could not be decoded"));
        return null;
      }
      AttestationDocument d = doc.get();
      List<String> problems = new ArrayList<>();
      List<String> found = new ArrayList<>();
      if (report != null) {
        new TreeMap<>(report.enclaveImage().pcrs())
            .forEach(
                (index, value) -> {
                  String attested = d.pcr(index).map(Bytes::hex).orElse(null);
                  if (!value.equals(attested)) {
                    problems.add(
                        "the report names the image by PCR"
                            + index
                            + " = "
                            + value
                            + " but the attestation has "
                            + (attested == null ? "no PCR" + index : attested));
                  }
                });
      }
      Policy policy = options.policy();
      if (!policy.expectedPcrs().isEmpty() || policy.allowedPcrSets().isPresent()) {
        boolean pinsHold = true;
        for (CheckId id : List.of(CheckId.POLICY_PCRS, CheckId.POLICY_PCR_SETS)) {
          Check c = attestation.check(id);
          if (c.status() != CheckStatus.PASS && c.status() != CheckStatus.SKIP) {
            problems.add(c.detail());
            pinsHold = false;
          }
        }
        if (pinsHold) {
          found.add("the attested PCRs match the pinned values");
        }
      }
      ImageLookup lookup = null;
      if (registry != null) {
        Instant at = attestation.verifiedAt().orElse(d.timestamp());
        lookup = registry.lookup(d.pcrs(), at);
        switch (lookup.outcome()) {
          case ACTIVE ->
              found.add(
                  "image "
                      + lookup.imageId()
                      + " in "
                      + registry.describe()
                      + (lookup.detail().isEmpty() ? "" : " (" + lookup.detail() + ")"));
          case INACTIVE ->
              problems.add(
                  "image "
                      + lookup.imageId()
                      + " is not active in "
                      + registry.describe()
                      + ": "
                      + lookup.detail());
          case UNKNOWN ->
              problems.add(
                  "no image in "
                      + registry.describe()
                      + " has the attested PCRs (PCR0 "
                      + d.pcr(0).map(Bytes::hex).orElse("absent")
                      + ")"
                      + (lookup.detail().isEmpty() ? "" : ": " + lookup.detail()));
        }
      }
      if (!problems.isEmpty()) {
        checks.add(BundleCheck.fail("bundle.image", String.join("; ", problems)));
      } else if (found.isEmpty()) {
        checks.add(
            BundleCheck.warn(
                "bundle.image",
                "the image is not identified: no registry given and no PCRs"
                    + " pinned (PCR0 "
                    + d.pcr(0).map(Bytes::hex).orElse("absent")
                    + ")"));
      } else {
        checks.add(
            BundleCheck.pass(
                "bundle.image",
                String.join("; ", found)
                    + (report == null ? "" : "; the report names the same image")));
      }
      return lookup;
    }

    /** Step 4: user_data = SHA-384(teec/report.json). */
    private BundleCheck binding(VerificationResult attestation) {
      Check c = attestation.check(CheckId.POLICY_USER_DATA);
      return c.status() == CheckStatus.PASS
          ? BundleCheck.pass(
              "bundle.binding", "the attestation's user_data is SHA-384 of " + BundleLayout.REPORT)
          : BundleCheck.fail(
              "bundle.binding",
              "the attestation's user_data is not SHA-384 of "
                  + BundleLayout.REPORT
                  + ": "
                  + c.detail());
    }

    /** Step 4: the envelope verifies with the attested key and carries the report. */
    private BundleCheck dsse(ReadBundle read, Optional<AttestationDocument> doc) {
      Optional<Bytes> key = doc.flatMap(AttestationDocument::publicKey);
      if (key.isEmpty()) {
        return BundleCheck.fail(
            "bundle.dsse",
            "the attestation carries no public_key to check " + BundleLayout.REPORT_DSSE + " with");
      }
      try {
        byte[] payload =
            Dsse.verify(
                read.reportDsseJson(),
                Dsse.IN_TOTO_PAYLOAD_TYPE,
                EcP384.decodePublicKey(key.get().toByteArray()));
        return MessageDigest.isEqual(payload, read.reportJson())
            ? BundleCheck.pass(
                "bundle.dsse",
                BundleLayout.REPORT_DSSE
                    + " verifies with the attested public_key and carries the report")
            : BundleCheck.fail(
                "bundle.dsse",
                BundleLayout.REPORT_DSSE
                    + " verifies with the attested public_key but carries a different report");
      } catch (GeneralSecurityException | RuntimeException e) {
        return BundleCheck.fail(
            "bundle.dsse",
            BundleLayout.REPORT_DSSE
                + " does not verify with the attested public_key: "
                + e.getMessage());
      }
    }

    /** The user's files: --artifact ones, then subjects found in --artifacts DIR. */
    private Map<String, Path> userFiles(ProvenanceReport report) {
      Map<String, Path> files = new LinkedHashMap<>(new TreeMap<>(artifactFiles));
      if (artifactDirectory != null) {
        int before = files.size();
        if (report != null) {
          for (Subject s : report.subjects()) {
            Path candidate = artifactDirectory.resolve(s.name());
            if (!files.containsKey(s.name()) && Files.isRegularFile(candidate)) {
              files.put(s.name(), candidate);
            }
          }
        }
        if (report != null && files.size() == before) {
          checks.add(
              BundleCheck.fail(
                  "bundle.files",
                  artifactDirectory
                      + " holds none of the report's "
                      + report.subjects().size()
                      + " subject(s)"));
        }
      }
      return files;
    }

    /** Step 5, second half: the subjects are exactly the artifacts present. */
    private BundleCheck subjects(
        ProvenanceReport report, List<ExtractedFile> inBundle, Map<String, Path> userFiles) {
      if (report == null) {
        return BundleCheck.skip("bundle.subjects", "not checked: the report is not valid");
      }
      TreeSet<String> subjects = new TreeSet<>();
      report.subjects().forEach(s -> subjects.add(s.name()));
      TreeSet<String> bundled = new TreeSet<>();
      inBundle.forEach(a -> bundled.add(a.name()));
      TreeSet<String> present = new TreeSet<>(bundled);
      present.addAll(userFiles.keySet());
      List<String> problems = new ArrayList<>();
      TreeSet<String> missing = new TreeSet<>(subjects);
      missing.removeAll(present);
      if (!missing.isEmpty()) {
        problems.add("subjects without an artifact: " + missing);
      }
      TreeSet<String> extra = new TreeSet<>(bundled);
      extra.removeAll(subjects);
      if (!extra.isEmpty()) {
        problems.add("bundle artifacts that are not subjects: " + extra);
      }
      TreeSet<String> unknownFiles = new TreeSet<>(userFiles.keySet());
      unknownFiles.removeAll(subjects);
      if (!unknownFiles.isEmpty()) {
        problems.add("given files that are not subjects: " + unknownFiles);
      }
      return problems.isEmpty()
          ? BundleCheck.pass(
              "bundle.subjects",
              "the "
                  + subjects.size()
                  + " subject(s) are exactly the artifacts present"
                  + (bundled.equals(subjects) ? "" : " (in the bundle or given)"))
          : BundleCheck.fail("bundle.subjects", String.join("; ", problems));
    }

    /** Step 6: one artifact file against its subject digest. */
    private void artifact(
        String id, String name, String actual, String location, ProvenanceReport report) {
      if (report == null) {
        artifacts.add(
            new ArtifactResult(name, null, actual, location, ArtifactResult.Status.UNCHECKED));
        checks.add(BundleCheck.skip(id, "not checked: the report is not valid"));
        return;
      }
      Subject subject = report.subject(name);
      String where = location.equals(ArtifactResult.IN_BUNDLE) ? "artifacts/" + name : location;
      if (subject == null) {
        artifacts.add(
            new ArtifactResult(name, null, actual, location, ArtifactResult.Status.UNLISTED));
        checks.add(BundleCheck.fail(id, where + " is not a subject of the report"));
      } else if (!subject.sha256().equals(actual)) {
        artifacts.add(
            new ArtifactResult(
                name, subject.sha256(), actual, location, ArtifactResult.Status.MISMATCH));
        checks.add(
            BundleCheck.fail(
                id, where + " has SHA-256 " + actual + ", the report records " + subject.sha256()));
      } else {
        artifacts.add(
            new ArtifactResult(
                name, subject.sha256(), actual, location, ArtifactResult.Status.VERIFIED));
        checks.add(
            BundleCheck.pass(id, where + " has the SHA-256 the report records (" + actual + ")"));
      }
    }

    /** Step 7: nonce, source and builder expectations, each only when given. */
    private void expectations(
        VerificationResult attestation, ProvenanceReport report, ImageLookup lookup) {
      if (options.policy().expectedNonce().isPresent()) {
        Check c = attestation.check(CheckId.POLICY_NONCE);
        checks.add(
            new BundleCheck(
                "bundle.expect.nonce",
                c.status() == CheckStatus.PASS
                    ? CheckStatus.PASS
                    : c.status() == CheckStatus.SKIP ? CheckStatus.SKIP : CheckStatus.FAIL,
                c.detail()));
      }
      if (expectedSource != null) {
        checks.add(source(report));
      }
      if (expectedBuilder != null) {
        checks.add(builder(attestation, report, lookup));
      }
    }

    private BundleCheck source(ProvenanceReport report) {
      String id = "bundle.expect.source";
      if (report == null) {
        return BundleCheck.skip(id, "not checked: the report is not valid");
      }
      SourceInfo s = report.source();
      List<String> problems = new ArrayList<>();
      if (!expectedSource.uri().equals(s.uri())) {
        problems.add(
            "the report records source uri "
                + (s.uri() == null ? "none" : s.uri())
                + ", expected "
                + expectedSource.uri());
      }
      if (!expectedSource.commit().equals(s.commit())) {
        problems.add(
            "the report records commit "
                + (s.commit() == null ? "none" : s.commit())
                + ", expected "
                + expectedSource.commit());
      }
      if (Boolean.TRUE.equals(s.dirty())) {
        problems.add("the report says the source had uncommitted changes");
      }
      if (!problems.isEmpty()) {
        return BundleCheck.fail(id, String.join("; ", problems));
      }
      return BundleCheck.pass(
          id,
          "the report records source "
              + expectedSource
              + " (archive SHA-256 "
              + s.archiveSha256()
              + (s.dirty() == null
                  ? "; whether it had uncommitted changes is not recorded)"
                  : ")"));
    }

    private BundleCheck builder(
        VerificationResult attestation, ProvenanceReport report, ImageLookup lookup) {
      String id = "bundle.expect.builder";
      String pcr0 =
          attestation.decodedUnverified().flatMap(d -> d.pcr(0)).map(Bytes::hex).orElse(null);
      if (expectedBuilder.equalsIgnoreCase(pcr0 == null ? "" : pcr0)) {
        return BundleCheck.pass(id, "the attested PCR0 is " + pcr0);
      }
      if (lookup != null) {
        String registryId =
            lookup.outcome() == ImageLookup.Outcome.ACTIVE ? lookup.imageId() : null;
        return expectedBuilder.equals(registryId)
            ? BundleCheck.pass(
                id, "the attested image is " + registryId + " in " + registry.describe())
            : BundleCheck.fail(
                id,
                "the attested image is "
                    + (registryId == null ? "not an active registry image" : registryId)
                    + ", expected "
                    + expectedBuilder);
      }
      if (report == null) {
        return BundleCheck.skip(
            id, "not checked: the report is not valid and no registry was given");
      }
      String recorded = report.enclaveImage().registryId();
      return expectedBuilder.equals(recorded)
          ? BundleCheck.pass(
              id,
              "the report records image "
                  + recorded
                  + " (the worker's claim; give a registry to confirm it)")
          : BundleCheck.fail(
              id,
              "the report records image "
                  + (recorded == null ? "without a registry id" : recorded)
                  + " and PCR0 "
                  + pcr0
                  + ", expected "
                  + expectedBuilder);
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java platform", e);
    }
  }

  private static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(digest("SHA-256", cert.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the simulated root cannot be encoded", e);
    }
  }

  /**
   * Configures a {@link BundleVerifier}. Strict by default: the pinned AWS root only, no
   * relaxations; every expectation is opt-in and only narrows what passes. Not thread-safe.
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private TrustAnchors trustAnchors = TrustAnchors.awsNitroEnclavesRootG1();
    private X509Certificate simulatedRoot;
    private VerificationOptions options = VerificationOptions.DEFAULT;
    private ImageRegistry registry;
    private SourceExpectation expectedSource;
    private String expectedBuilder;
    private final Map<String, Path> artifactFiles = new LinkedHashMap<>();
    private Path artifactDirectory;
    private BundleLimits limits = BundleLimits.defaults();
    private Path workDirectory;

    private Builder() {}

    /** The source of "now" for certificate validity and freshness (default: the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The roots attestations must chain to (default: the pinned AWS Nitro Enclaves root G1). */
    public Builder trustAnchors(TrustAnchors anchors) {
      this.trustAnchors = Objects.requireNonNull(anchors, "anchors");
      return this;
    }

    /**
     * Also trusts the local simulated NSM's root; bundles attested under it verify with a {@code
     * bundle.simulated} WARN. For development only: whoever holds its key can attest anything.
     */
    public Builder simulatedRoot(X509Certificate root) {
      this.simulatedRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /**
     * The time T, policy and freshness bounds for the attestation. The policy must not pin
     * user_data: a bundle's user_data is always the report's SHA-384.
     *
     * @throws IllegalArgumentException if the policy pins user_data
     */
    public Builder options(VerificationOptions options) {
      Objects.requireNonNull(options, "options");
      if (options.policy().expectedUserData().isPresent()) {
        throw new IllegalArgumentException(
            "a bundle's user_data must be the report's SHA-384; the policy must not pin it");
      }
      this.options = options;
      return this;
    }

    /** The registry the attested image must be an active entry of. */
    public Builder imageRegistry(ImageRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Requires the report to record this repository and commit, without uncommitted changes. */
    public Builder expectSource(SourceExpectation source) {
      this.expectedSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Requires the builder's image to be {@code imageId}: the attested PCR0 (hex), the registry's
     * id for the attested image, or without a registry the registry id the report records.
     */
    public Builder expectBuilder(String imageId) {
      Objects.requireNonNull(imageId, "imageId");
      if (imageId.isBlank()) {
        throw new IllegalArgumentException("the expected builder image id is empty");
      }
      this.expectedBuilder = imageId;
      return this;
    }

    /** Also checks the user's file {@code file} against the report's subject {@code name}. */
    public Builder artifactFile(String name, Path file) {
      artifactFiles.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(file, "file"));
      return this;
    }

    /**
     * Also checks every subject found as a regular file at {@code dir/<name>}; it is a failure when
     * the directory holds none of them.
     */
    public Builder artifactDirectory(Path dir) {
      this.artifactDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** The tar reader's size limits (default {@link BundleLimits#defaults()}). */
    public Builder limits(BundleLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Where the temporary extraction directory is created (default: the system's temporary
     * directory). It is deleted before {@link #verify} returns.
     */
    public Builder workDirectory(Path dir) {
      this.workDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Builds the verifier. */
    public BundleVerifier build() {
      return new BundleVerifier(this);
    }
  }
}
