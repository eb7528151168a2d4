package dev.teec.formats.report;

import dev.teec.encoding.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * The curves a DSSE envelope key may be on (SPEC W5), each with the one hash it signs with, and the
 * strict encodings of their keys and signatures.
 *
 * <p>The hash follows from the curve alone, and the curve from the attested key, so nothing an
 * envelope says can choose the algorithm. P-256 with SHA-256 is what teec signs with since
 * sigstore's cosign pairs a PEM ECDSA key with SHA-256; P-384 with SHA-384 is what bundles made
 * before that carry, and verifiers keep accepting them.
 */
public enum EnvelopeCurve {
  /** NIST P-256 with SHA-256: the key of new envelopes, 91 bytes as SubjectPublicKeyInfo. */
  P256("P-256", "secp256r1", "SHA256withECDSA"),
  /** NIST P-384 with SHA-384: the key of envelopes made before P-256 (120 bytes as SPKI). */
  P384("P-384", "secp384r1", "SHA384withECDSA");

  private final String displayName;
  private final String standardName;
  private final String signatureAlgorithm;
  private final ECParameterSpec parameters;

  EnvelopeCurve(String displayName, String standardName, String signatureAlgorithm) {
    this.displayName = displayName;
    this.standardName = standardName;
    this.signatureAlgorithm = signatureAlgorithm;
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec(standardName));
      this.parameters = params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM does not support " + standardName, e);
    }
  }

  /** The curve's NIST name, e.g. {@code P-256}. */
  public String displayName() {
    return displayName;
  }

  /** The curve's standard (SEC 2) name, e.g. {@code secp256r1}, as the JCA names it. */
  String standardName() {
    return standardName;
  }

  /** JCA name of the curve's signature algorithm: ECDSA with its hash, DER-encoded signature. */
  String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /**
   * Returns the curve {@code key} is on.
   *
   * @throws InvalidKeyException if it is not an EC key on one of these curves
   */
  public static EnvelopeCurve of(PublicKey key) throws InvalidKeyException {
    if (!(key instanceof ECPublicKey ec)) {
      throw new InvalidKeyException(
          "key must be an EC P-256 or P-384 key, got "
              + (key == null ? "null" : key.getAlgorithm()));
    }
    ECParameterSpec spec = ec.getParams();
    for (EnvelopeCurve curve : values()) {
      ECParameterSpec p = curve.parameters;
      if (spec.getCurve().equals(p.getCurve())
          && spec.getGenerator().equals(p.getGenerator())
          && spec.getOrder().equals(p.getOrder())
          && spec.getCofactor() == p.getCofactor()) {
        return curve;
      }
    }
    throw new InvalidKeyException(
        "key must be on curve P-256 or P-384, got a "
            + spec.getCurve().getField().getFieldSize()
            + "-bit curve");
  }

  /**
   * Decodes a DER SubjectPublicKeyInfo (the attestation's {@code public_key}) that must hold a
   * P-256 or P-384 key with named-curve parameters, encoded exactly as this JVM re-encodes it.
   *
   * @throws InvalidKeyException saying what is wrong
   */
  public static ECPublicKey decodePublicKey(byte[] spkiDer) throws InvalidKeyException {
    if (spkiDer == null || spkiDer.length == 0 || spkiDer.length > 1024) {
      throw new InvalidKeyException("public key must be 1..1024 bytes of DER SubjectPublicKeyInfo");
    }
    PublicKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spkiDer));
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException(
          "public key is not a DER SubjectPublicKeyInfo of an EC key: " + e.getMessage(), e);
    }
    of(key);
    if (!Arrays.equals(key.getEncoded(), spkiDer)) {
      throw new InvalidKeyException(
          "public key is not in canonical form (named curve, uncompressed point, DER)");
    }
    return (ECPublicKey) key;
  }

  /**
   * {@code key} as a PEM {@code PUBLIC KEY} block (RFC 7468: base64 of the SubjectPublicKeyInfo in
   * lines of 64 characters), the form cosign and OpenSSL read.
   */
  public static String toPem(ECPublicKey key) {
    return Pem.encode("PUBLIC KEY", key.getEncoded());
  }

  /**
   * Checks that {@code sig} is a DER ECDSA signature, SEQUENCE { INTEGER r, INTEGER s }, in
   * canonical DER with 1 &lt;= r, s &lt; n of this curve, so one signature value has exactly one
   * encoding.
   */
  void checkDerSignature(byte[] sig) throws DsseException {
    ASN1Sequence seq;
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(sig);
      if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), sig)) {
        throw new DsseException("signature is not in canonical DER");
      }
      seq = ASN1Sequence.getInstance(p);
    } catch (IOException | IllegalArgumentException e) {
      throw new DsseException("signature is not a DER ECDSA signature: " + e.getMessage(), e);
    }
    if (seq.size() != 2
        || !(seq.getObjectAt(0) instanceof ASN1Integer r)
        || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
      throw new DsseException("signature must be a DER SEQUENCE of two INTEGERs (r, s)");
    }
    checkScalar(r.getValue(), "r");
    checkScalar(s.getValue(), "s");
  }

  private void checkScalar(BigInteger v, String name) throws DsseException {
    if (v.signum() <= 0 || v.compareTo(parameters.getOrder()) >= 0) {
      throw new DsseException("signature " + name + " is outside 1..n-1 of " + displayName);
    }
  }
}
