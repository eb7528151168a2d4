package dev.teec.verifier.bundle;

import dev.teec.digest.Digests;
import dev.teec.formats.bundle.BundleConsistency;
import dev.teec.formats.bundle.BundleFormatException;
import dev.teec.formats.bundle.BundleLayout;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.EnvelopeCurve;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.ReportFormatException;
import dev.teec.formats.report.SourceInfo;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.Check;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.DocumentKind;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One verification of one bundle: the steps of spec C2, each recorded as a {@link BundleCheck} in
 * the documented order. Authenticate before parsing: the attestation, its image and the binding of
 * the report's bytes to it are evaluated first, from the bytes alone; {@code teec/report.json} and
 * {@code teec/report.dsse.json} are parsed only when the attestation verifies and binds the report,
 * and otherwise every check that needs them is listed as not run.
 */
final class BundleRun {
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

  private static final String SOURCE = "bundle.expect.source";

  /** The checks that authenticate the report's bytes: it is parsed only when both pass. */
  private static final Set<String> AUTHENTICATING = Set.of("bundle.attestation", "bundle.binding");

  private final BundleVerifier settings;
  private final String input;
  private final List<BundleCheck> checks = new ArrayList<>();

  BundleRun(BundleVerifier settings, String input) {
    this.settings = settings;
    this.input = input;
  }

  BundleVerification run(BundleReader reader, Path bundle, Path extract) throws IOException {
    ReadBundle read;
    try {
      read = reader.read(bundle, extract);
      checks.add(
          BundleCheck.pass(
              "bundle.structure",
              "a well-formed bundle with " + read.artifacts().size() + " artifact(s)"));
    } catch (BundleFormatException e) {
      checks.add(BundleCheck.fail("bundle.structure", e.getMessage()));
      return unread();
    } catch (IOException e) {
      // Whatever stops this bundle from being read is this bundle's failure, not the run's.
      checks.add(
          BundleCheck.fail(
              "bundle.structure", "the bundle could not be read or extracted: " + e.getMessage()));
      return unread();
    }
    byte[] reportBytes = read.reportJson();
    byte[] reportSha384 = Digests.sha384(reportBytes);
    // Authenticate before parsing: the attestation (with user_data pinned to the report's
    // digest) needs the report's bytes, never its content.
    VerificationResult attestation =
        settings.attestationVerifier.verify(read.attestationCbor(), bound(reportSha384));
    Optional<AttestationDocument> doc = attestation.decodedUnverified();
    checks.add(attestationCheck(attestation));
    ImageCheck image = new ImageCheck(settings, attestation);
    checks.add(image.image());
    checks.add(binding(attestation));
    String unauthenticated = unauthenticated();
    ProvenanceReport report = null;
    if (unauthenticated == null) {
      checks.add(dsse(read, doc));
      report = report(read, image);
    } else {
      checks.add(BundleCheck.skip("bundle.dsse", unauthenticated));
      checks.add(BundleCheck.skip("bundle.report", unauthenticated));
    }
    String noReport =
        unauthenticated != null ? unauthenticated : "not checked: the report is not valid";
    ArtifactChecks artifacts = new ArtifactChecks(settings, report, noReport, checks);
    artifacts.run(read.artifacts());
    if (settings.options.policy().expectedNonce().isPresent()) {
      checks.add(nonce(attestation));
    }
    if (settings.expectedSource != null) {
      checks.add(report == null ? BundleCheck.skip(SOURCE, noReport) : source(report));
    }
    if (settings.expectedBuilder != null) {
      checks.add(image.expectedBuilder());
    }
    boolean simulated =
        settings.simulatedRootSha256 != null
            && attestation.certificates().stream()
                .anyMatch(
                    c ->
                        c.role().equals("root") && c.sha256().equals(settings.simulatedRootSha256));
    if (simulated) {
      checks.add(
          BundleCheck.warn(
              "bundle.simulated",
              "SIMULATED: attested by the local simulated NSM, not by AWS Nitro hardware"));
    }
    if (attestation.emulated()) {
      checks.add(
          BundleCheck.warn(
              "bundle.emulated",
              "EMULATED: attested by QEMU's emulated NSM (unsigned), not by AWS Nitro hardware"));
    }
    BuilderIdentity identity =
        doc.map(
                d ->
                    new BuilderIdentity(
                        d.moduleId(), d.pcr(0).map(Bytes::hex).orElse(""), image.activeImageId()))
            .orElse(null);
    return new BundleVerification(
        input,
        checks,
        simulated,
        report,
        artifacts.results(),
        attestation,
        Bytes.of(read.attestationCbor()),
        identity,
        Bytes.of(reportSha384));
  }

  /**
   * The result for a tar that could not be read: after the failed {@code bundle.structure}, every
   * other check that was asked for, listed as not run.
   */
  private BundleVerification unread() throws IOException {
    String reason = "not checked: the bundle could not be read (bundle.structure)";
    for (String id :
        List.of("bundle.attestation", "bundle.image", "bundle.binding", "bundle.dsse")) {
      checks.add(BundleCheck.skip(id, reason));
    }
    checks.add(BundleCheck.skip("bundle.report", reason));
    ArtifactChecks artifacts = new ArtifactChecks(settings, null, reason, checks);
    artifacts.run(List.of());
    if (settings.options.policy().expectedNonce().isPresent()) {
      checks.add(BundleCheck.skip("bundle.expect.nonce", reason));
    }
    if (settings.expectedSource != null) {
      checks.add(BundleCheck.skip(SOURCE, reason));
    }
    if (settings.expectedBuilder != null) {
      checks.add(BundleCheck.skip("bundle.expect.builder", reason));
    }
    return new BundleVerification(
        input, checks, false, null, artifacts.results(), null, null, null, null);
  }

  /**
   * Why the report may not be parsed: null when the attestation verified and its user_data is the
   * report's digest, so that the report's bytes come from an enclave under a trusted root;
   * otherwise the detail of the skipped checks. Whether that enclave's image is trusted does not
   * matter here: a rejected bundle's claims stay readable, and the readers are bounded against any
   * enclave.
   */
  private String unauthenticated() {
    List<String> failed =
        checks.stream()
            .filter(c -> AUTHENTICATING.contains(c.id()))
            .filter(c -> c.status() == CheckStatus.FAIL || c.status() == CheckStatus.SKIP)
            .map(BundleCheck::id)
            .toList();
    return failed.isEmpty()
        ? null
        : "not read: the report is not authenticated (" + String.join(", ", failed) + ")";
  }

  /** The options with user_data pinned to the report's digest (step 4). */
  private VerificationOptions bound(byte[] reportSha384) {
    VerificationOptions options = settings.options;
    VerificationOptions.Builder b =
        VerificationOptions.builder()
            .time(options.time())
            .policy(options.policy().toBuilder().expectUserData(Bytes.of(reportSha384)).build());
    options.maxAge().ifPresent(b::maxAge);
    options.maxFutureSkew().ifPresent(b::maxFutureSkew);
    return b.build();
  }

  /** Step 2: every verifier-core check except those reported as image, binding and nonce. */
  private static BundleCheck attestationCheck(VerificationResult attestation) {
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
    String verifies =
        BundleLayout.ATTESTATION
            + " verifies ("
            + attestation.timeMode().name().toLowerCase(Locale.ROOT)
            + " time"
            + attestation.verifiedAt().map(t -> " " + t).orElse("")
            + ")";
    boolean tpm =
        attestation.decodedUnverified().filter(d -> d.kind() == DocumentKind.NITRO_TPM).isPresent();
    return tpm
        ? BundleCheck.warn(
            "bundle.attestation",
            verifies
                + ", but it is a NitroTPM document (an EC2 instance's boot measurements, not an"
                + " enclave), accepted because NitroTPM documents are allowed")
        : BundleCheck.pass("bundle.attestation", verifies);
  }

  /** Step 4: user_data = SHA-384(teec/report.json). */
  private static BundleCheck binding(VerificationResult attestation) {
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
  private static BundleCheck dsse(ReadBundle read, Optional<AttestationDocument> doc) {
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
              EnvelopeCurve.decodePublicKey(key.get().toByteArray()));
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

  /**
   * Step 5, first half: the report parses strictly, names the attested image and records the build
   * log's digest.
   *
   * @return the report, or null when it is not valid
   */
  private ProvenanceReport report(ReadBundle read, ImageCheck image) {
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
    List<String> problems = new ArrayList<>(image.reportProblems(report));
    BundleConsistency.buildLogProblem(report, read.buildLog().sha256()).ifPresent(problems::add);
    checks.add(
        Optional.of(problems)
            .filter(p -> !p.isEmpty())
            .map(p -> BundleCheck.fail("bundle.report", String.join("; ", p)))
            .orElseGet(
                () ->
                    BundleCheck.pass(
                        "bundle.report",
                        "a well-formed in-toto/SLSA report with "
                            + report.subjects().size()
                            + " subject(s); "
                            + BundleLayout.BUILD_LOG
                            + " is the log it records; it names the attested image")));
    return report;
  }

  /** Step 7: the attested nonce, when one is expected. */
  private static BundleCheck nonce(VerificationResult attestation) {
    Check c = attestation.check(CheckId.POLICY_NONCE);
    return new BundleCheck(
        "bundle.expect.nonce",
        c.status() == CheckStatus.PASS
            ? CheckStatus.PASS
            : c.status() == CheckStatus.SKIP ? CheckStatus.SKIP : CheckStatus.FAIL,
        c.detail());
  }

  /** Step 7: the source the report records, when one is expected. */
  private BundleCheck source(ProvenanceReport report) {
    String id = SOURCE;
    SourceExpectation expected = settings.expectedSource;
    SourceInfo s = report.source();
    List<String> problems = new ArrayList<>();
    if (!expected.uri().equals(s.uri())) {
      problems.add(
          "the report records source uri "
              + (s.uri() == null ? "none" : s.uri())
              + ", expected "
              + expected.uri());
    }
    if (!expected.commit().equals(s.commit())) {
      problems.add(
          "the report records commit "
              + (s.commit() == null ? "none" : s.commit())
              + ", expected "
              + expected.commit());
    }
    String path = s.path() == null ? "" : s.path();
    if (!expected.path().equals(path)) {
      problems.add(
          "the report records "
              + (path.isEmpty() ? "the repository's top directory" : "directory " + path)
              + ", expected "
              + (expected.path().isEmpty() ? "the top directory" : "directory " + expected.path()));
    }
    if (Boolean.TRUE.equals(s.dirty())) {
      problems.add("the report says the source had uncommitted changes");
    }
    if (s.commit() != null && !s.verified()) {
      // The client's word alone: a modified client can name any commit.
      problems.add(
          "the commit is the client's unverified claim: the worker did not check that the"
              + " archive it built is that commit's directory");
    }
    if (!problems.isEmpty()) {
      return BundleCheck.fail(id, String.join("; ", problems));
    }
    return BundleCheck.pass(
        id,
        "the report records source "
            + expected
            + ", verified by the worker against the archive it built (SHA-256 "
            + s.archiveSha256()
            + ")");
  }
}
