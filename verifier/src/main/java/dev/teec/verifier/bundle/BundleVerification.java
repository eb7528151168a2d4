package dev.teec.verifier.bundle;

import dev.teec.formats.report.ProvenanceReport;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.VerificationResult;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of verifying one bundle: every check that ran, in order, and what was read on the
 * way. Only {@link BundleVerifier} creates one.
 *
 * <p>{@link #verified()} is the verdict: true exactly when no check failed, and then {@link
 * #requireVerified()} returns the {@link VerifiedBundle}, the only way to read the report, the
 * artifact digests and the builder as established facts. The accessors named {@code ...Unverified}
 * return what the bundle claims whatever the verdict, for showing a reader what a rejected bundle
 * said; they are evidence of nothing.
 */
public final class BundleVerification {
  private final String input;
  private final List<BundleCheck> checks;
  private final boolean simulated;
  private final ProvenanceReport report;
  private final List<ArtifactResult> artifacts;
  private final VerificationResult attestation;
  private final Bytes attestationDocument;
  private final BuilderIdentity builder;
  private final VerifiedBundle verified;

  /**
   * @param report the parsed report, or null when it is not valid
   * @param attestation the verifier-core result, or null when the tar could not be read
   * @param attestationDocument the raw attestation, or null when the tar could not be read
   * @param builder the decoded builder identity, or null when the attestation could not be decoded
   * @param reportSha384 SHA-384 of the report's bytes, or null when the tar could not be read
   */
  BundleVerification(
      String input,
      List<BundleCheck> checks,
      boolean simulated,
      ProvenanceReport report,
      List<ArtifactResult> artifacts,
      VerificationResult attestation,
      Bytes attestationDocument,
      BuilderIdentity builder,
      Bytes reportSha384) {
    this.input = input;
    this.checks = List.copyOf(checks);
    this.simulated = simulated;
    this.report = report;
    this.artifacts = List.copyOf(artifacts);
    this.attestation = attestation;
    this.attestationDocument = attestationDocument;
    this.builder = builder;
    // Every attestation check is one of the bundle checks, so when none failed the attestation
    // verified; requiring both keeps a verdict from ever resting on an unverified document.
    this.verified =
        this.checks.stream().noneMatch(BundleCheck::failed)
                && attestation != null
                && attestation.verified()
            ? new VerifiedBundle(
                input,
                report,
                attestation.verifiedAttestation().orElseThrow(),
                builder,
                simulated,
                attestation.emulated(),
                reportSha384.hex())
            : null;
  }

  /** The bundle path as given. */
  public String input() {
    return input;
  }

  /** Every check, in the order of spec C2, each id at most once. */
  public List<BundleCheck> checks() {
    return checks;
  }

  /** True exactly when no check failed (and so the attestation verified). */
  public boolean verified() {
    return verified != null;
  }

  /**
   * The verified bundle.
   *
   * @throws BundleVerificationException listing the failed checks, if any check failed
   */
  public VerifiedBundle requireVerified() throws BundleVerificationException {
    if (verified == null) {
      throw new BundleVerificationException(
          input, checks.stream().filter(BundleCheck::failed).toList());
    }
    return verified;
  }

  /** The verified bundle, present exactly when {@link #verified()}. */
  public Optional<VerifiedBundle> verifiedBundle() {
    return Optional.ofNullable(verified);
  }

  /** True when the attestation chains to the local simulated NSM's root given to the verifier. */
  public boolean simulated() {
    return simulated;
  }

  /** True when the attestation was accepted as one of QEMU's emulated NSM (SPEC E6). */
  public boolean emulated() {
    return attestation != null && attestation.emulated();
  }

  /**
   * The report as parsed from {@code teec/report.json} whatever the verdict, when it is a valid
   * report: a claim until {@link #verified()}.
   */
  public Optional<ProvenanceReport> reportUnverified() {
    return Optional.ofNullable(report);
  }

  /** The summary of {@link #reportUnverified()}: a claim until {@link #verified()}. */
  public Optional<ReportSummary> summaryUnverified() {
    return reportUnverified().map(ReportSummary::of);
  }

  /**
   * The builder identity decoded from the attestation whatever the verdict, when it could be
   * decoded: a claim until {@link #verified()}.
   */
  public Optional<BuilderIdentity> builderUnverified() {
    return Optional.ofNullable(builder);
  }

  /** Every artifact file compared, the bundle's entries first, then the user's files. */
  public List<ArtifactResult> artifacts() {
    return artifacts;
  }

  /** The verifier-core result for {@code teec/attestation.cbor}, when the tar could be read. */
  public Optional<VerificationResult> attestation() {
    return Optional.ofNullable(attestation);
  }

  /** The raw bytes of {@code teec/attestation.cbor}, when the tar could be read. */
  public Optional<Bytes> attestationDocument() {
    return Optional.ofNullable(attestationDocument);
  }

  /** The ids of the failed checks, in order. */
  public List<String> failures() {
    return ids(CheckStatus.FAIL);
  }

  /** The ids of the checks that passed with a warning, in order. */
  public List<String> warnings() {
    return ids(CheckStatus.WARN);
  }

  /** The check with this id, if it ran. */
  public Optional<BundleCheck> check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  private List<String> ids(CheckStatus status) {
    return checks.stream().filter(c -> c.status() == status).map(BundleCheck::id).toList();
  }
}
