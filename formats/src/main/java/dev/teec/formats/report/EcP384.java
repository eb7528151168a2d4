package dev.teec.formats.report;

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

/** NIST P-384 keys and ECDSA signatures in the strict encodings SPEC W5 requires. */
public final class EcP384 {
  /** JCA name of the signature algorithm: ECDSA with SHA-384, DER-encoded signature. */
  static final String SIGNATURE_ALGORITHM = "SHA384withECDSA";

  /** Standard name of the curve. */
  static final String CURVE = "secp384r1";

  private static final ECParameterSpec P384 = parameters();

  private EcP384() {}

  private static ECParameterSpec parameters() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec(CURVE));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM does not support " + CURVE, e);
    }
  }

  /**
   * Decodes a DER SubjectPublicKeyInfo (the attestation's {@code public_key}) that must hold a
   * P-384 key with named-curve parameters, encoded exactly as this JVM re-encodes it.
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
    ECPublicKey ec = requireP384(key);
    if (!Arrays.equals(ec.getEncoded(), spkiDer)) {
      throw new InvalidKeyException(
          "public key is not in canonical form (named curve, uncompressed point, DER)");
    }
    return ec;
  }

  /**
   * Returns {@code key} as an EC key on P-384.
   *
   * @throws InvalidKeyException if it is another kind of key or curve
   */
  public static ECPublicKey requireP384(PublicKey key) throws InvalidKeyException {
    if (!(key instanceof ECPublicKey ec)) {
      throw new InvalidKeyException(
          "key must be an EC P-384 key, got " + (key == null ? "null" : key.getAlgorithm()));
    }
    if (!isP384(ec.getParams())) {
      throw new InvalidKeyException(
          "key must be on curve P-384 (secp384r1), got a "
              + ec.getParams().getCurve().getField().getFieldSize()
              + "-bit curve");
    }
    return ec;
  }

  static boolean isP384(ECParameterSpec spec) {
    return spec.getCurve().equals(P384.getCurve())
        && spec.getGenerator().equals(P384.getGenerator())
        && spec.getOrder().equals(P384.getOrder())
        && spec.getCofactor() == P384.getCofactor();
  }

  /**
   * Checks that {@code sig} is a DER ECDSA signature, SEQUENCE { INTEGER r, INTEGER s }, in
   * canonical DER with 1 &lt;= r, s &lt; n, so one signature value has exactly one encoding.
   */
  static void checkDerSignature(byte[] sig) throws DsseException {
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

  private static void checkScalar(BigInteger v, String name) throws DsseException {
    if (v.signum() <= 0 || v.compareTo(P384.getOrder()) >= 0) {
      throw new DsseException("signature " + name + " is outside 1..n-1 of P-384");
    }
  }
}
