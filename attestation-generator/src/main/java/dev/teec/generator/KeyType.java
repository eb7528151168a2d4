package dev.teec.generator;

/** The kinds of key a {@link DeterministicKey} can be. AWS uses only {@link #P384}. */
public enum KeyType {
  /** NIST P-384 (secp384r1), the curve of every real AWS Nitro certificate and of ES384. */
  P384("P-384"),
  /** NIST P-256 (secp256r1), for leaves a verifier must refuse. */
  P256("P-256"),
  /** RSA with a 2048-bit modulus and public exponent 65537, for leaves a verifier must refuse. */
  RSA2048("RSA-2048");

  private final String label;

  KeyType(String label) {
    this.label = label;
  }

  /** The name mixed into key derivation, so one label gives unrelated keys of different types. */
  String label() {
    return label;
  }
}
