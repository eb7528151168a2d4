package dev.teec.verifier.internal.emulated;

import static dev.teec.verifier.CheckId.CHAIN_ALGORITHMS;
import static dev.teec.verifier.CheckId.CHAIN_BASIC_CONSTRAINTS;
import static dev.teec.verifier.CheckId.CHAIN_CRITICAL_EXTENSIONS;
import static dev.teec.verifier.CheckId.CHAIN_KEY_USAGE;
import static dev.teec.verifier.CheckId.CHAIN_LENGTH;
import static dev.teec.verifier.CheckId.CHAIN_NAMES;
import static dev.teec.verifier.CheckId.CHAIN_PARSE;
import static dev.teec.verifier.CheckId.CHAIN_PATH_LENGTH;
import static dev.teec.verifier.CheckId.CHAIN_ROOT_PINNED;
import static dev.teec.verifier.CheckId.CHAIN_SIGNATURES;
import static dev.teec.verifier.CheckId.CHAIN_VALIDITY;
import static dev.teec.verifier.CheckId.COSE_SIGNATURE;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.internal.CheckRecorder;
import dev.teec.verifier.internal.cbor.CborFormatException;
import dev.teec.verifier.internal.cbor.StrictCbor;
import dev.teec.verifier.internal.cose.CoseSign1Reader;
import java.util.Arrays;
import java.util.List;

/**
 * Documents of QEMU's emulated NSM (the {@code nitro-enclave} machine, SPEC E6): COSE_Sign1 whose
 * protected header is exactly {@code {1: -1}}, whose signature, certificate and single CA bundle
 * entry are 64 zero bytes each. Nothing in them is signed, so nothing authenticates them: they are
 * accepted only when the caller explicitly allows emulated documents, and only in exactly this
 * shape.
 */
public final class EmulatedNsm {
  /** The protected header QEMU writes: the map {@code {1: -1}}. */
  private static final byte[] PROTECTED_HEADER = {(byte) 0xA1, 0x01, 0x20};

  /** The length of QEMU's zero signature, certificate and CA bundle entry. */
  private static final int ZERO_BYTES = CoseSign1Reader.EMULATED_SIGNATURE_BYTES;

  private static final String ALLOWED = "accepted because emulated documents are allowed";

  private EmulatedNsm() {}

  /**
   * Whether {@code document} claims to come from QEMU's emulated NSM: a well-formed COSE_Sign1
   * (tagged or not) whose protected header is exactly QEMU's. It is then read and checked as one.
   */
  public static boolean claims(byte[] document) {
    CBORObject top;
    try {
      top = StrictCbor.decode(document, "the document", false);
    } catch (CborFormatException e) {
      return false;
    }
    CBORObject body = top.isTagged() ? top.UntagOne() : top;
    return body.getType() == CBORType.Array
        && body.size() == 4
        && body.get(0).getType() == CBORType.ByteString
        && Arrays.equals(body.get(0).GetByteString(), PROTECTED_HEADER);
  }

  /**
   * Records the chain checks and the signature check of an emulated document in place of the
   * certificate chain and the signature verification: the certificate, the CA bundle and the
   * signature must be QEMU's zeros. Every passing result is a WARN naming the document EMULATED.
   */
  public static void check(AttestationDocument doc, byte[] signature, CheckRecorder rec) {
    boolean zeroCertificate = isZeros(doc.certificate());
    boolean zeroBundle = doc.cabundle().size() == 1 && isZeros(doc.cabundle().get(0));
    if (zeroCertificate && zeroBundle) {
      rec.warn(
          CHAIN_ROOT_PINNED,
          "EMULATED: no certificate chain (QEMU's emulated NSM writes a zero certificate and a"
              + " zero CA bundle entry), "
              + ALLOWED);
    } else {
      rec.fail(
          CHAIN_ROOT_PINNED,
          "an emulated document has QEMU's certificate and CA bundle: 64 zero bytes and one"
              + " entry of 64 zero bytes; found a "
              + doc.certificate().length()
              + "-byte certificate"
              + (zeroCertificate ? " of zeros" : "")
              + " and "
              + doc.cabundle().size()
              + " CA bundle entries");
    }
    for (CheckId id :
        List.of(
            CHAIN_LENGTH,
            CHAIN_PARSE,
            CHAIN_NAMES,
            CHAIN_ALGORITHMS,
            CHAIN_BASIC_CONSTRAINTS,
            CHAIN_PATH_LENGTH,
            CHAIN_KEY_USAGE,
            CHAIN_CRITICAL_EXTENSIONS,
            CHAIN_SIGNATURES,
            CHAIN_VALIDITY)) {
      rec.skip(id, "not applicable: an emulated document has no certificate chain");
    }
    if (isZeros(Bytes.of(signature))) {
      rec.warn(
          COSE_SIGNATURE,
          "EMULATED: the document is unsigned (QEMU's emulated NSM, a signature of 64 zero"
              + " bytes): it proves nothing about hardware; "
              + ALLOWED);
    } else {
      rec.fail(
          COSE_SIGNATURE,
          "an emulated document's signature is QEMU's 64 zero bytes; this one is not");
    }
  }

  private static boolean isZeros(Bytes b) {
    return b.length() == ZERO_BYTES && b.isAllZero();
  }
}
