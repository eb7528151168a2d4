package dev.teec.formats.report;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One signature of a DSSE envelope.
 *
 * @param keyId unauthenticated key hint, or null
 * @param sig the signature bytes (for teec: DER ECDSA, P-256/SHA-256)
 */
public record DsseSignature(String keyId, byte[] sig) {
  /** Copies the signature bytes; requires at least one. */
  public DsseSignature {
    Objects.requireNonNull(sig, "sig");
    if (sig.length == 0) {
      throw new IllegalArgumentException("signature is empty");
    }
    sig = sig.clone();
  }

  /** A copy of the signature bytes. */
  @Override
  public byte[] sig() {
    return sig.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DsseSignature other
        && Objects.equals(keyId, other.keyId)
        && Arrays.equals(sig, other.sig);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(keyId) + Arrays.hashCode(sig);
  }

  @Override
  public String toString() {
    return "DsseSignature[keyId=" + keyId + ", sig=" + HexFormat.of().formatHex(sig) + "]";
  }
}
