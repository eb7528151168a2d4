package dev.teec.verifier.internal.cose;

import com.upokecenter.cbor.CBORObject;
import dev.teec.verifier.internal.ecdsa.P384Ecdsa;
import dev.teec.verifier.internal.ecdsa.P384Key;

/**
 * Verifies the COSE_Sign1 signature (SPEC.md V6): ES384 over Sig_structure {@code ["Signature1",
 * protected, h'', payload]}, built from the protected header and payload byte strings exactly as
 * received, with the 96-byte signature read as {@code r || s}. The caller has already established
 * that alg is ES384 and the signature 96 bytes long.
 */
public final class CoseSignatureVerifier {
  private static final String CONTEXT = "Signature1";
  private static final byte[] NO_EXTERNAL_AAD = new byte[0];

  private CoseSignatureVerifier() {}

  /** True when {@code envelope}'s signature verifies with {@code key}. */
  public static boolean verifies(CoseSign1Reader.Envelope envelope, P384Key key) {
    return P384Ecdsa.verifyP1363(key, toBeSigned(envelope), envelope.signature());
  }

  /** The encoded Sig_structure (RFC 9052 §4.4) of a COSE_Sign1 without external data. */
  static byte[] toBeSigned(CoseSign1Reader.Envelope envelope) {
    // Definite lengths and shortest heads: the one deterministic encoding of this array.
    return CBORObject.NewArray()
        .Add(CONTEXT)
        .Add(envelope.protectedHeader())
        .Add(NO_EXTERNAL_AAD)
        .Add(envelope.payload())
        .EncodeToBytes();
  }
}
