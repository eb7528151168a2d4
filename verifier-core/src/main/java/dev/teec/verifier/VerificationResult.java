package dev.teec.verifier;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one verification found: every check in the order it ran (each {@link CheckId} exactly
 * once), the instant T used, the decoded document if it could be decoded, and its certificates.
 *
 * <p>The verdict is "verified" exactly when no check has status {@link CheckStatus#FAIL}; only then
 * does {@link #verifiedAttestation()} hold a value.
 */
public final class VerificationResult {
  private final List<Check> checks;
  private final Instant verifiedAt;
  private final VerificationTime.Mode timeMode;
  private final AttestationDocument document;
  private final List<CertificateInfo> certificates;
  private final VerifiedAttestation verified;
  private final boolean emulated;

  VerificationResult(
      List<Check> checks,
      Instant verifiedAt,
      VerificationTime.Mode timeMode,
      AttestationDocument document,
      List<CertificateInfo> certificates,
      boolean emulated) {
    this.checks = List.copyOf(checks);
    this.verifiedAt = verifiedAt;
    this.timeMode = Objects.requireNonNull(timeMode, "timeMode");
    this.document = document;
    this.certificates = List.copyOf(certificates);
    this.emulated = emulated;
    boolean ok = this.checks.stream().noneMatch(Check::failed);
    this.verified =
        ok && document != null && verifiedAt != null
            ? new VerifiedAttestation(document, verifiedAt, timeMode)
            : null;
  }

  /** True when no check failed. */
  public boolean verified() {
    return verified != null;
  }

  /** The verified attestation, present exactly when {@link #verified()} is true. */
  public Optional<VerifiedAttestation> verifiedAttestation() {
    return Optional.ofNullable(verified);
  }

  /**
   * The verified attestation.
   *
   * @throws VerificationException listing the failed checks, if any check failed
   */
  public VerifiedAttestation requireVerified() throws VerificationException {
    if (verified == null) {
      throw new VerificationException(failedChecks());
    }
    return verified;
  }

  /** Every check, in the order the verifier ran them. */
  public List<Check> checks() {
    return checks;
  }

  /**
   * True when the document was read as one of QEMU's emulated NSM (unsigned; SPEC E6), which only a
   * verifier built with {@link AttestationVerifier.Builder#acceptEmulated()} does. A verified
   * emulated document proves nothing about hardware.
   */
  public boolean emulated() {
    return emulated;
  }

  /** The checks with status FAIL. */
  public List<Check> failedChecks() {
    return checks.stream().filter(Check::failed).toList();
  }

  /** The ids of the failed checks. */
  public List<CheckId> failures() {
    return failedChecks().stream().map(Check::id).toList();
  }

  /** The check with this id. */
  public Check check(CheckId id) {
    return checks.stream()
        .filter(c -> c.id() == id)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no check " + id));
  }

  /**
   * The instant T at which certificate validity was judged; empty only when T was to be the
   * document's timestamp and the document could not be decoded.
   */
  public Optional<Instant> verifiedAt() {
    return Optional.ofNullable(verifiedAt);
  }

  /** How T was chosen. */
  public VerificationTime.Mode timeMode() {
    return timeMode;
  }

  /**
   * The decoded payload whatever the verdict, or empty when the document could not be decoded. Its
   * fields are claims until {@link #verified()}: read a trusted document through {@link
   * #requireVerified()}.
   */
  public Optional<AttestationDocument> decodedUnverified() {
    return Optional.ofNullable(document);
  }

  /** The document's certificates that could be parsed, leaf first, root last. */
  public List<CertificateInfo> certificates() {
    return certificates;
  }
}
