package dev.teec.truststore.eif;

import COSE.AlgorithmID;
import COSE.Attribute;
import COSE.CoseException;
import COSE.HeaderKeys;
import COSE.Message;
import COSE.MessageTag;
import COSE.OneKey;
import COSE.Sign1Message;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.teec.encoding.Pem;
import dev.teec.json.BoundedCbor;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import dev.teec.verifier.Bytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The EIF signature section: a CBOR array of {@code {signing_certificate: PEM, signature:
 * COSE_Sign1}} maps, the COSE_Sign1 (ES384, untagged) signing the CBOR map {@code {register_index:
 * 0, register_value: PCR0}}. Byte vectors are encoded as serde encodes them by default (arrays of
 * integers); CBOR byte strings are accepted too.
 */
final class EifSignatures {
  private static final BoundedJson CBOR =
      BoundedCbor.reader(JsonLimits.of(EifReader.MAX_SIGNATURE_SECTION));

  private EifSignatures() {}

  /** The section for {@code cert} signing {@code pcr0} with {@code key} (a P-384 key). */
  static byte[] section(X509Certificate cert, PrivateKey key, Bytes pcr0) {
    try {
      Sign1Message message = new Sign1Message(false);
      message.addAttribute(
          HeaderKeys.Algorithm, AlgorithmID.ECDSA_384.AsCBOR(), Attribute.PROTECTED);
      message.SetContent(pcrInfo(0, pcr0));
      message.sign(new OneKey(cert.getPublicKey(), key));
      String pem = Pem.certificate(cert.getEncoded());
      return EifWriter.signatureSection(pem, message.EncodeToBytes());
    } catch (CoseException | CertificateEncodingException e) {
      throw new IllegalArgumentException(
          "cannot sign the EIF with this certificate and key: " + e.getMessage(), e);
    }
  }

  /** The first entry's certificate and signature, parsed; format errors are the file's fault. */
  static Entry firstEntry(byte[] section, long offset) throws EifFormatException {
    JsonNode root;
    try {
      root = CBOR.read(section);
    } catch (IOException e) {
      throw new EifFormatException(offset, "signature section is not CBOR: " + e.getMessage());
    }
    if (root == null || !root.isArray() || root.isEmpty() || !root.get(0).isObject()) {
      throw new EifFormatException(
          offset, "signature section is not a non-empty CBOR array of maps");
    }
    byte[] pem = byteString(root.get(0).get("signing_certificate"), "signing_certificate", offset);
    X509Certificate cert;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(pem));
      if (cert == null) {
        throw new CertificateException("no certificate found");
      }
    } catch (CertificateException e) {
      throw new EifFormatException(
          offset,
          "signature section: signing_certificate is not an X.509"
              + " certificate ("
              + e.getMessage()
              + ")");
    }
    JsonNode sig = root.get(0).get("signature");
    return new Entry(cert, sig == null ? null : byteString(sig, "signature", offset));
  }

  /** Verifies the entry's COSE_Sign1 over {@code pcr0} with the certificate's key. */
  static EifSignatureCheck check(Entry entry, Bytes pcr0) {
    String signer = entry.certificate().getSubjectX500Principal().getName();
    if (entry.signature() == null) {
      return new EifSignatureCheck(signer, false, "the signature section has no signature");
    }
    try {
      Message message = Message.DecodeFromBytes(entry.signature(), MessageTag.Sign1);
      if (!(message instanceof Sign1Message sign1)) {
        return new EifSignatureCheck(signer, false, "the signature is not a COSE_Sign1");
      }
      if (!sign1.validate(new OneKey(entry.certificate().getPublicKey(), null))) {
        return new EifSignatureCheck(
            signer, false, "the signature does not verify with the signing certificate's key");
      }
      JsonNode payload = CBOR.read(sign1.GetContent());
      JsonNode index = payload == null ? null : payload.get("register_index");
      if (index == null || !index.canConvertToInt() || index.intValue() != 0) {
        return new EifSignatureCheck(signer, false, "the signed payload is not for PCR0");
      }
      byte[] value = byteString(payload.get("register_value"), "register_value", 0);
      if (!Bytes.of(value).equals(pcr0)) {
        return new EifSignatureCheck(
            signer, false, "the signed PCR0 " + Bytes.of(value).hex() + " is not this file's PCR0");
      }
      return new EifSignatureCheck(
          signer,
          true,
          "COSE_Sign1 (ES384) over this file's PCR0 verifies with the"
              + " signing certificate's key");
    } catch (CoseException | IOException | EifFormatException | RuntimeException e) {
      return new EifSignatureCheck(
          signer, false, "the signature cannot be verified: " + e.getMessage());
    }
  }

  /** CBOR of serde's {@code PcrInfo {register_index: i32, register_value: Vec<u8>}}. */
  static byte[] pcrInfo(int index, Bytes value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new CBORFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("register_index");
      g.writeNumber(index);
      g.writeFieldName("register_value");
      g.writeStartArray();
      for (byte b : value.toByteArray()) {
        g.writeNumber(Byte.toUnsignedInt(b));
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing CBOR to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  static byte[] byteString(JsonNode node, String name, long offset) throws EifFormatException {
    if (node == null) {
      throw new EifFormatException(offset, "signature section: no " + name);
    }
    if (node.isBinary()) {
      try {
        return node.binaryValue();
      } catch (IOException e) {
        throw new EifFormatException(offset, "signature section: unreadable " + name);
      }
    }
    if (node.isArray()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(node.size());
      for (JsonNode b : node) {
        if (!b.isIntegralNumber() || b.asInt() < 0 || b.asInt() > 255) {
          throw new EifFormatException(
              offset, "signature section: " + name + " holds a non-byte value");
        }
        out.write(b.asInt());
      }
      return out.toByteArray();
    }
    throw new EifFormatException(
        offset, "signature section: " + name + " is neither bytes nor a byte array");
  }

  /** The first signature entry. */
  record Entry(X509Certificate certificate, byte[] signature) {}
}
