package dev.teec.enclave.nsm;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The three optional values an attestation document can carry, as the caller asks the NSM to put
 * them in. Each is absent ({@code null}) or a byte string of at most {@link #MAX_FIELD_BYTES}
 * bytes; {@code public_key}, when present, must not be empty (a verifier rejects an empty one).
 * These are the limits of the attestation document specification (SPEC.md W4); the encoded request
 * then always fits the driver's 4096-byte request limit. Arrays are copied in and out, so a request
 * is immutable.
 *
 * @param userData bytes for the document's {@code user_data}, or null
 * @param nonce bytes for the document's {@code nonce}, or null
 * @param publicKey bytes for the document's {@code public_key}, or null
 */
public record AttestationRequest(byte[] userData, byte[] nonce, byte[] publicKey) {
  /** The largest {@code user_data}, {@code nonce} or {@code public_key}, in bytes. */
  public static final int MAX_FIELD_BYTES = 1024;

  /**
   * @throws IllegalArgumentException if a field is longer than {@link #MAX_FIELD_BYTES} or {@code
   *     publicKey} is empty
   */
  public AttestationRequest {
    userData = checked("user_data", userData, 0);
    nonce = checked("nonce", nonce, 0);
    publicKey = checked("public_key", publicKey, 1);
  }

  /** A request with none of the three fields: the document will have null for each. */
  public static AttestationRequest empty() {
    return new AttestationRequest(null, null, null);
  }

  private static byte[] checked(String field, byte[] value, int min) {
    if (value == null) {
      return null;
    }
    if (value.length > MAX_FIELD_BYTES || value.length < min) {
      throw new IllegalArgumentException(
          field
              + " is "
              + value.length
              + " bytes; the NSM accepts "
              + min
              + ".."
              + MAX_FIELD_BYTES
              + " bytes (or no value)");
    }
    return value.clone();
  }

  @Override
  public byte[] userData() {
    return userData == null ? null : userData.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce == null ? null : nonce.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey == null ? null : publicKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttestationRequest r
        && Arrays.equals(userData, r.userData)
        && Arrays.equals(nonce, r.nonce)
        && Arrays.equals(publicKey, r.publicKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(userData), Arrays.hashCode(nonce), Arrays.hashCode(publicKey));
  }

  @Override
  public String toString() {
    return "AttestationRequest[userData="
        + hex(userData)
        + ", nonce="
        + hex(nonce)
        + ", publicKey="
        + hex(publicKey)
        + "]";
  }

  private static String hex(byte[] b) {
    return b == null ? "null" : HexFormat.of().formatHex(b);
  }
}
