package dev.teec.generator;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * A COSE_Sign1 message (RFC 9052) as its four parts plus how it is framed: {@code [protected bstr,
 * unprotected map, payload bstr, signature bstr]}, optionally tagged, optionally followed by stray
 * bytes. {@link DocumentSigner} produces a correctly signed one; the {@code with...} methods then
 * change what is sent without re-signing, which is how tampered variants are made. Immutable.
 */
public final class CoseSign1 {
  private final byte[] protectedHeader;
  private final CborWriter.Item unprotectedHeader;
  private final byte[] payload;
  private final byte[] signature;
  private final long[] tags;
  private final byte[] trailingBytes;

  private CoseSign1(
      byte[] protectedHeader,
      CborWriter.Item unprotectedHeader,
      byte[] payload,
      byte[] signature,
      long[] tags,
      byte[] trailingBytes) {
    this.protectedHeader = protectedHeader.clone();
    this.unprotectedHeader = Objects.requireNonNull(unprotectedHeader, "unprotectedHeader");
    this.payload = payload.clone();
    this.signature = signature.clone();
    this.tags = tags.clone();
    this.trailingBytes = trailingBytes.clone();
  }

  /** An untagged message with an empty unprotected header, as the AWS NSM sends it. */
  static CoseSign1 of(byte[] protectedHeader, byte[] payload, byte[] signature) {
    return new CoseSign1(
        protectedHeader, CborWriter.map(), payload, signature, new long[0], new byte[0]);
  }

  /**
   * The Sig_structure that is signed: {@code ["Signature1", protected, h'', payload]}, with the
   * byte strings exactly as they are sent.
   */
  static byte[] sigStructure(byte[] protectedHeader, byte[] payload) {
    return CborWriter.array(
            CborWriter.text("Signature1"),
            CborWriter.bytes(protectedHeader),
            CborWriter.bytes(new byte[0]),
            CborWriter.bytes(payload))
        .encode();
  }

  public byte[] protectedHeader() {
    return protectedHeader.clone();
  }

  public byte[] payload() {
    return payload.clone();
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** The same message with another unprotected header (not covered by the signature). */
  public CoseSign1 withUnprotectedHeader(CborWriter.Item header) {
    return new CoseSign1(protectedHeader, header, payload, signature, tags, trailingBytes);
  }

  /** The same message carrying another payload, with the signature made over the original. */
  public CoseSign1 withPayload(byte[] newPayload) {
    return new CoseSign1(
        protectedHeader, unprotectedHeader, newPayload, signature, tags, trailingBytes);
  }

  /** The same message with another signature value. */
  public CoseSign1 withSignature(byte[] newSignature) {
    return new CoseSign1(
        protectedHeader, unprotectedHeader, payload, newSignature, tags, trailingBytes);
  }

  /** The same message wrapped in these tags, outermost first ({@code 18} is COSE_Sign1's own). */
  public CoseSign1 withTags(long... outermostFirst) {
    return new CoseSign1(
        protectedHeader, unprotectedHeader, payload, signature, outermostFirst, trailingBytes);
  }

  /** The same message followed by {@code bytes}, outside the CBOR item. */
  public CoseSign1 withTrailingBytes(byte[] bytes) {
    return new CoseSign1(protectedHeader, unprotectedHeader, payload, signature, tags, bytes);
  }

  /** The bytes of the whole document. */
  public byte[] encode() {
    CborWriter.Item item =
        CborWriter.array(
            CborWriter.bytes(protectedHeader),
            unprotectedHeader,
            CborWriter.bytes(payload),
            CborWriter.bytes(signature));
    for (int i = tags.length - 1; i >= 0; i--) {
      item = CborWriter.tagged(tags[i], item);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    item.writeTo(out);
    out.writeBytes(trailingBytes);
    return out.toByteArray();
  }
}
