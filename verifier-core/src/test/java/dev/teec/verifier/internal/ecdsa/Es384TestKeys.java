package dev.teec.verifier.internal.ecdsa;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/** P-384 keys and ES384 signatures made with the JDK (SunEC), for the ECDSA tests. */
final class Es384TestKeys {
  /** Order n of the P-384 base point. */
  static final BigInteger N =
      new BigInteger(
          "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
          16);

  /** The P-384 field prime p (greater than n). */
  static final BigInteger P =
      new BigInteger(
          "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
          16);

  private Es384TestKeys() {}

  static KeyPair keyPair(long seed) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    g.initialize(new ECGenParameterSpec("secp384r1"), random);
    return g.generateKeyPair();
  }

  /** {@code r || s}, 48 bytes each. */
  static byte[] signP1363(KeyPair pair, byte[] message) throws GeneralSecurityException {
    Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
    signer.initSign(pair.getPrivate());
    signer.update(message);
    return signer.sign();
  }

  static boolean jdkVerifyP1363(KeyPair pair, byte[] message, byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance("SHA384withECDSAinP1363Format");
    verifier.initVerify(pair.getPublic());
    verifier.update(message);
    try {
      return verifier.verify(signature);
    } catch (java.security.SignatureException e) {
      return false;
    }
  }

  static BigInteger r(byte[] p1363) {
    return new BigInteger(1, Arrays.copyOfRange(p1363, 0, 48));
  }

  static BigInteger s(byte[] p1363) {
    return new BigInteger(1, Arrays.copyOfRange(p1363, 48, 96));
  }

  /** {@code r || s} with each value as 48 big-endian bytes; values must fit in 384 bits. */
  static byte[] p1363(BigInteger r, BigInteger s) {
    byte[] out = new byte[96];
    put(r, out, 0);
    put(s, out, 48);
    return out;
  }

  private static void put(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int start = b.length > 48 ? b.length - 48 : 0;
    if (b.length - start > 48 || (start > 0 && b[0] != 0)) {
      throw new IllegalArgumentException("does not fit in 48 bytes: " + v.toString(16));
    }
    System.arraycopy(b, start, out, offset + 48 - (b.length - start), b.length - start);
  }
}
