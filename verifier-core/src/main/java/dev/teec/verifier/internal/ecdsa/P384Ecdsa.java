package dev.teec.verifier.internal.ecdsa;

import dev.teec.digest.Digests;
import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * ECDSA on NIST P-384 with SHA-384: the only signature algorithm of an attestation document, for
 * its COSE signature (ES384, {@code r || s}) and for every certificate of its chain
 * (ecdsa-with-SHA384, DER). One implementation serves both: Bouncy Castle's lightweight {@link
 * ECDSASigner} on its custom secp384r1 curve arithmetic, about six times as fast as the JDK's SunEC
 * on JDK 17 when the key's point is reused (bench/README.md).
 *
 * <p>Every method returns false, never throws, for a signature that is malformed or out of range;
 * {@code r} and {@code s} must both lie in {@code [1, n-1]}. Both {@code s} and {@code n - s}
 * verify, as in every ECDSA verifier (SPEC.md V6).
 */
public final class P384Ecdsa {
  /** secp384r1 on Bouncy Castle's custom (specialised) curve implementation. */
  static final ECDomainParameters DOMAIN;

  static {
    X9ECParameters p = CustomNamedCurves.getByName("secp384r1");
    DOMAIN = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH(), p.getSeed());
  }

  /** Bytes of each of r and s in the IEEE P1363 (COSE) encoding. */
  public static final int SCALAR_BYTES = 48;

  private P384Ecdsa() {}

  /**
   * Verifies an IEEE P1363 signature {@code r || s} (exactly {@value #SCALAR_BYTES} bytes each,
   * big-endian, as COSE ES384 requires) over {@code message}.
   */
  public static boolean verifyP1363(P384Key key, byte[] message, byte[] signature) {
    if (signature.length != 2 * SCALAR_BYTES) {
      return false;
    }
    BigInteger r = new BigInteger(1, signature, 0, SCALAR_BYTES);
    BigInteger s = new BigInteger(1, signature, SCALAR_BYTES, SCALAR_BYTES);
    return verify(key, Digests.sha384(message), r, s);
  }

  /**
   * Verifies a DER {@code ECDSA-Sig-Value} (the encoding of X.509 signatures) over {@code message}.
   * The encoding must be exactly DER: re-encoding r and s gives the same bytes.
   */
  public static boolean verifyDer(P384Key key, byte[] message, byte[] signature) {
    BigInteger[] rs;
    try {
      rs = StandardDSAEncoding.INSTANCE.decode(DOMAIN.getN(), signature);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return verify(key, Digests.sha384(message), rs[0], rs[1]);
  }

  private static boolean verify(P384Key key, byte[] digest, BigInteger r, BigInteger s) {
    // ECDSASigner checks the range as well; checking here keeps the rule visible and testable
    // without relying on one library's internals.
    if (!inRange(r) || !inRange(s)) {
      return false;
    }
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, key.parameters());
    return signer.verifySignature(digest, r, s);
  }

  private static boolean inRange(BigInteger v) {
    return v.signum() > 0 && v.compareTo(DOMAIN.getN()) < 0;
  }
}
