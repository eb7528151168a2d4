package dev.teec.formats.report;

import java.security.GeneralSecurityException;

/** Something that signs DSSE pre-authentication encodings (see {@link Dsse#pae}). */
public interface Signer {
  /**
   * An unauthenticated hint naming the key, written as the signature's {@code keyid}; null for
   * none. Verifiers must never base a decision on it.
   */
  String keyId();

  /**
   * Signs {@code message}. teec's verifiers expect ECDSA over P-256 with SHA-256 (or, for older
   * envelopes, P-384 with SHA-384), the signature DER-encoded (SPEC W5).
   */
  byte[] sign(byte[] message) throws GeneralSecurityException;
}
