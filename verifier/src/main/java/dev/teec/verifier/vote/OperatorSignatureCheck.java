package dev.teec.verifier.vote;

/**
 * The verdict on one bundle's operator signature ({@link OperatorKeys#check}).
 *
 * @param keyId the pinned key that signed, or null when the signature does not count
 * @param problem why it does not count (one sentence), or null when it does
 */
public record OperatorSignatureCheck(String keyId, String problem) {
  /** Exactly one of the two is present. */
  public OperatorSignatureCheck {
    if ((keyId == null) == (problem == null)) {
      throw new IllegalArgumentException("exactly one of keyId and problem must be present");
    }
  }

  static OperatorSignatureCheck signedBy(String keyId) {
    return new OperatorSignatureCheck(keyId, null);
  }

  static OperatorSignatureCheck rejected(String problem) {
    return new OperatorSignatureCheck(null, problem);
  }

  /** True when a pinned key signed this very bundle. */
  public boolean verified() {
    return keyId != null;
  }
}
