package dev.teec.generator;

import java.util.List;

/**
 * Signs attestation documents the way the AWS NSM does: the payload map from a {@link
 * DocumentSpec}, a COSE_Sign1 envelope, and an ES384 signature by the leaf key over the
 * Sig_structure {@code ["Signature1", protected, h'', payload]}. Signatures are deterministic, so
 * equal inputs give byte-identical documents.
 */
public final class DocumentSigner {
  private DocumentSigner() {}

  /** The document's bytes: {@code spec} with the chain's certificates, signed by its leaf key. */
  public static byte[] sign(SimulatedChain chain, DocumentSpec spec) {
    return signEnvelope(chain, spec).encode();
  }

  /** Like {@link #sign}, but returns the envelope so that it can be altered after signing. */
  public static CoseSign1 signEnvelope(SimulatedChain chain, DocumentSpec spec) {
    return signEnvelope(spec, chain.leafCertificate(), chain.cabundle(), chain.leafKey());
  }

  /**
   * Signs {@code spec} with {@code key}, putting {@code certificate} and {@code cabundle} (DER,
   * root first) in the payload. Neither needs to match the key: mismatches are what some variants
   * test.
   *
   * @throws IllegalStateException if {@code key} is not a P-384 key
   */
  public static CoseSign1 signEnvelope(
      DocumentSpec spec, byte[] certificate, List<byte[]> cabundle, DeterministicKey key) {
    byte[] protectedHeader = spec.encodeProtectedHeader();
    byte[] payload = spec.encodePayload(certificate, cabundle);
    byte[] signature = key.signEs384(CoseSign1.sigStructure(protectedHeader, payload));
    return CoseSign1.of(protectedHeader, payload, signature);
  }
}
