package dev.teec.verifier;

import java.time.Instant;

/**
 * A document that passed every check of an {@link AttestationVerifier}: its chain ends in a trusted
 * root and is valid at {@link #verifiedAt()}, its COSE signature verifies with the leaf key, and it
 * satisfies the policy it was verified against. Only the verifier can create one.
 */
public final class VerifiedAttestation {
  private final AttestationDocument document;
  private final Instant verifiedAt;
  private final VerificationTime.Mode timeMode;

  VerifiedAttestation(
      AttestationDocument document, Instant verifiedAt, VerificationTime.Mode mode) {
    this.document = document;
    this.verifiedAt = verifiedAt;
    this.timeMode = mode;
  }

  public AttestationDocument document() {
    return document;
  }

  /** The instant T at which certificate validity was judged. */
  public Instant verifiedAt() {
    return verifiedAt;
  }

  /** How T was chosen. */
  public VerificationTime.Mode timeMode() {
    return timeMode;
  }
}
