package dev.teec.verifier.internal.cose;

import static dev.teec.verifier.CheckId.CBOR_TAGS;
import static dev.teec.verifier.CheckId.CBOR_WELL_FORMED;
import static dev.teec.verifier.CheckId.COSE_ALGORITHM;
import static dev.teec.verifier.CheckId.COSE_PAYLOAD;
import static dev.teec.verifier.CheckId.COSE_SIGNATURE_LENGTH;
import static dev.teec.verifier.CheckId.COSE_STRUCTURE;
import static dev.teec.verifier.CheckId.COSE_UNPROTECTED;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import com.upokecenter.numbers.EInteger;
import dev.teec.verifier.internal.CheckRecorder;
import dev.teec.verifier.internal.cbor.CborFormatException;
import dev.teec.verifier.internal.cbor.StrictCbor;
import java.util.Optional;

/**
 * Reads the COSE_Sign1 envelope (SPEC.md V1, V2) and records its checks. The byte strings are kept
 * exactly as received; nothing is re-encoded.
 */
public final class CoseSign1Reader {
  /** COSE algorithm id of ES384 (ECDSA with SHA-384 on P-384). */
  public static final int ES384 = -35;

  /** CBOR tag of COSE_Sign1. */
  public static final int COSE_SIGN1_TAG = 18;

  public static final int MAX_PAYLOAD_BYTES = 16384;
  public static final int SIGNATURE_BYTES = 96;

  /** The alg QEMU's emulated NSM writes into its (unsigned) documents' protected header. */
  public static final int EMULATED_ALG = -1;

  /** The length of the all-zero signature of QEMU's emulated NSM. */
  public static final int EMULATED_SIGNATURE_BYTES = 64;

  private static final CBORObject ALG_LABEL = CBORObject.FromObject(1);
  private static final CBORObject CRIT_LABEL = CBORObject.FromObject(2);

  private CoseSign1Reader() {}

  /** The envelope's four parts. */
  public record Envelope(byte[] protectedHeader, byte[] payload, byte[] signature) {}

  /**
   * Decodes and checks the envelope. Returns the parts when every envelope check passed, so that
   * the payload may be read; otherwise empty.
   */
  public static Optional<Envelope> read(byte[] document, CheckRecorder rec) {
    return read(document, rec, false);
  }

  /**
   * As {@link #read(byte[], CheckRecorder)}; with {@code emulated}, the envelope must have the
   * shape of QEMU's emulated NSM instead: protected alg {@value #EMULATED_ALG} and a {@value
   * #EMULATED_SIGNATURE_BYTES}-byte signature (the caller then checks that nothing is signed).
   */
  public static Optional<Envelope> read(byte[] document, CheckRecorder rec, boolean emulated) {
    int alg = emulated ? EMULATED_ALG : ES384;
    int signatureBytes = emulated ? EMULATED_SIGNATURE_BYTES : SIGNATURE_BYTES;
    CBORObject top;
    try {
      top = StrictCbor.decode(document, "the document", false);
    } catch (CborFormatException e) {
      rec.fail(CBOR_WELL_FORMED, e.getMessage());
      return Optional.empty();
    }
    rec.pass(
        CBOR_WELL_FORMED, "one well-formed CBOR item, no duplicate map keys, nothing after it");

    CBORObject body = top;
    if (top.isTagged()) {
      EInteger tag = top.getMostOuterTag();
      if (top.getTagCount() != 1) {
        rec.fail(
            CBOR_TAGS,
            "the document carries "
                + top.getTagCount()
                + " nested tags; at most one"
                + " tag, 18 (COSE_Sign1), is allowed",
            "no tag or 18",
            top.getTagCount() + " tags");
        return Optional.empty();
      }
      if (!tag.equals(EInteger.FromInt32(COSE_SIGN1_TAG))) {
        rec.fail(
            CBOR_TAGS,
            "the document is tagged " + tag + "; only tag 18 (COSE_Sign1) or no tag is allowed",
            "no tag or 18",
            tag.toString());
        return Optional.empty();
      }
      body = top.UntagOne();
    }
    Optional<String> inner = StrictCbor.findTag(body, "$");
    if (inner.isPresent()) {
      rec.fail(CBOR_TAGS, "unexpected CBOR " + inner.get());
      return Optional.empty();
    }
    rec.pass(
        CBOR_TAGS,
        top.isTagged() ? "tag 18 (COSE_Sign1) and no other tags" : "no tags (untagged COSE_Sign1)");

    if (body.getType() != CBORType.Array || body.size() != 4) {
      String actual =
          body.getType() == CBORType.Array ? "array of " + body.size() : StrictCbor.typeName(body);
      rec.fail(
          COSE_STRUCTURE,
          "a COSE_Sign1 is an array of exactly 4 elements; found " + actual,
          "array of 4",
          actual);
      return Optional.empty();
    }
    CBORObject prot = body.get(0);
    CBORObject unprot = body.get(1);
    CBORObject payload = body.get(2);
    CBORObject sig = body.get(3);
    if (prot.getType() != CBORType.ByteString) {
      rec.fail(
          COSE_STRUCTURE,
          "the protected header must be a byte string; found " + StrictCbor.typeName(prot));
      return Optional.empty();
    }
    rec.pass(COSE_STRUCTURE, "array of 4: protected, unprotected, payload, signature");

    boolean ok = checkAlgorithm(prot.GetByteString(), alg, rec);

    if (unprot.getType() == CBORType.Map) {
      rec.pass(COSE_UNPROTECTED, "the unprotected header is a map");
    } else {
      rec.fail(
          COSE_UNPROTECTED,
          "the unprotected header must be a map; found " + StrictCbor.typeName(unprot));
      ok = false;
    }

    if (payload.getType() != CBORType.ByteString) {
      rec.fail(
          COSE_PAYLOAD, "the payload must be a byte string; found " + StrictCbor.typeName(payload));
      ok = false;
    } else {
      int n = payload.GetByteString().length;
      if (n < 1 || n > MAX_PAYLOAD_BYTES) {
        rec.fail(
            COSE_PAYLOAD,
            "the payload has " + n + " bytes; allowed are 1.." + MAX_PAYLOAD_BYTES,
            "1.." + MAX_PAYLOAD_BYTES,
            String.valueOf(n));
        ok = false;
      } else {
        rec.pass(COSE_PAYLOAD, "payload byte string of " + n + " bytes");
      }
    }

    String expectedLength = signatureBytes + " bytes";
    if (sig.getType() != CBORType.ByteString) {
      rec.fail(
          COSE_SIGNATURE_LENGTH,
          "the signature must be a byte string; found " + StrictCbor.typeName(sig),
          expectedLength,
          StrictCbor.typeName(sig));
      ok = false;
    } else if (sig.GetByteString().length != signatureBytes) {
      int n = sig.GetByteString().length;
      rec.fail(
          COSE_SIGNATURE_LENGTH,
          (emulated ? "QEMU's emulated NSM writes a signature of " : "an ES384 signature is ")
              + expectedLength
              + (emulated ? "" : " (r||s)")
              + "; found "
              + n,
          String.valueOf(signatureBytes),
          String.valueOf(n));
      ok = false;
    } else {
      rec.pass(
          COSE_SIGNATURE_LENGTH,
          "signature of " + expectedLength + (emulated ? " (emulated NSM)" : " (r||s)"));
    }
    if (!ok) {
      return Optional.empty();
    }
    return Optional.of(
        new Envelope(prot.GetByteString(), payload.GetByteString(), sig.GetByteString()));
  }

  private static boolean checkAlgorithm(byte[] protectedBytes, int expected, CheckRecorder rec) {
    String want = expected == ES384 ? "-35 (ES384)" : expected + " (emulated NSM)";
    String name = expected == ES384 ? "ES384 (-35)" : want;
    CBORObject header;
    try {
      header = StrictCbor.decode(protectedBytes, "the protected header", false);
    } catch (CborFormatException e) {
      rec.fail(COSE_ALGORITHM, e.getMessage(), want, "undecodable");
      return false;
    }
    Optional<String> tag = StrictCbor.findTag(header, "protected");
    if (tag.isPresent()) {
      rec.fail(COSE_ALGORITHM, "unexpected CBOR " + tag.get());
      return false;
    }
    if (header.getType() != CBORType.Map) {
      rec.fail(
          COSE_ALGORITHM,
          "the protected header must decode to a map; found " + StrictCbor.typeName(header));
      return false;
    }
    CBORObject alg = header.get(ALG_LABEL);
    if (alg == null) {
      rec.fail(COSE_ALGORITHM, "the protected header has no alg (label 1)", want, "absent");
      return false;
    }
    if (alg.getType() != CBORType.Integer
        || !alg.CanValueFitInInt32()
        || alg.AsInt32Value() != expected) {
      String actual =
          alg.getType() == CBORType.Integer
              ? alg.AsEIntegerValue().toString()
              : StrictCbor.typeName(alg);
      rec.fail(COSE_ALGORITHM, "alg must be " + name + "; found " + actual, want, actual);
      return false;
    }
    CBORObject crit = header.get(CRIT_LABEL);
    if (crit != null) {
      // RFC 9052 §3.1: a recipient must reject a message whose crit list names a header it does
      // not process; this verifier processes only alg.
      rec.fail(
          COSE_ALGORITHM,
          "the protected header lists critical headers (label 2) that this verifier"
              + " does not process: "
              + crit);
      return false;
    }
    rec.pass(
        COSE_ALGORITHM,
        "protected alg is " + name,
        String.valueOf(expected),
        String.valueOf(expected));
    return true;
  }
}
