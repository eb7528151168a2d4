package dev.teec.verifier.internal.cose;

import COSE.CoseException;
import COSE.Message;
import COSE.MessageTag;
import COSE.OneKey;
import COSE.Sign1Message;
import java.security.PublicKey;

/**
 * Verifies the COSE_Sign1 signature with COSE-Java: it builds Sig_structure {@code ["Signature1",
 * protected, h'', payload]} from the byte strings exactly as received, and checks the r||s
 * signature with SHA384withECDSA. The caller has already established that alg is ES384, the
 * signature is 96 bytes and the key is P-384.
 */
public final class CoseSignatureVerifier {
  private CoseSignatureVerifier() {}

  /**
   * Verifies {@code document}'s signature with {@code key}.
   *
   * @throws CoseException if the signature does not verify or COSE-Java cannot process the message
   */
  public static void verify(byte[] document, PublicKey key) throws CoseException {
    Message message = Message.DecodeFromBytes(document, MessageTag.Sign1);
    if (!(message instanceof Sign1Message sign1)) {
      throw new CoseException("not a COSE_Sign1 message");
    }
    if (!sign1.validate(new OneKey(key, null))) {
      throw new CoseException("signature does not verify with the leaf certificate's key");
    }
  }
}
