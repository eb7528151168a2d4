package dev.teec.verifier.internal.ecdsa;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Optional;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * A NIST P-384 public key prepared for {@link P384Ecdsa}: the point on Bouncy Castle's custom
 * secp384r1 curve, validated once.
 *
 * <p>Keep one instance per key and reuse it. Bouncy Castle stores its precomputed multiples of the
 * point on the point object and widens them as the point is used again, which roughly halves the
 * cost of each later verification (about 3600 against 1700 verifications per CPU second,
 * bench/README.md); a fresh instance per verification forfeits that. Instances are thread-safe:
 * Bouncy Castle synchronises the precomputation on the point.
 */
public final class P384Key {
  private final ECPublicKeyParameters parameters;

  private P384Key(ECPublicKeyParameters parameters) {
    this.parameters = parameters;
  }

  /**
   * The key when {@code key} is an EC key whose domain parameters are exactly NIST P-384 (field,
   * coefficients, base point, order and cofactor) and whose point lies on that curve; otherwise
   * empty.
   */
  public static Optional<P384Key> of(PublicKey key) {
    if (!(key instanceof ECPublicKey ec) || !isP384(ec.getParams())) {
      return Optional.empty();
    }
    ECPoint w = ec.getW();
    if (w == ECPoint.POINT_INFINITY) {
      return Optional.empty();
    }
    try {
      org.bouncycastle.math.ec.ECPoint q =
          P384Ecdsa.DOMAIN.getCurve().validatePoint(w.getAffineX(), w.getAffineY());
      // The constructor validates again: not infinity, on the curve, in the prime-order subgroup.
      return Optional.of(new P384Key(new ECPublicKeyParameters(q, P384Ecdsa.DOMAIN)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** True when {@code spec} is exactly NIST P-384 (secp384r1). */
  public static boolean isP384(ECParameterSpec spec) {
    if (spec == null || !(spec.getCurve().getField() instanceof ECFieldFp field)) {
      return false;
    }
    org.bouncycastle.math.ec.ECCurve curve = P384Ecdsa.DOMAIN.getCurve();
    org.bouncycastle.math.ec.ECPoint g = P384Ecdsa.DOMAIN.getG();
    return field.getP().equals(curve.getField().getCharacteristic())
        && spec.getCurve().getA().equals(curve.getA().toBigInteger())
        && spec.getCurve().getB().equals(curve.getB().toBigInteger())
        && spec.getGenerator().getAffineX().equals(g.getAffineXCoord().toBigInteger())
        && spec.getGenerator().getAffineY().equals(g.getAffineYCoord().toBigInteger())
        && spec.getOrder().equals(P384Ecdsa.DOMAIN.getN())
        && BigInteger.valueOf(spec.getCofactor()).equals(P384Ecdsa.DOMAIN.getH());
  }

  ECPublicKeyParameters parameters() {
    return parameters;
  }
}
