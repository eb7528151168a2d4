package dev.teec.verifier.internal.ecdsa;

import static dev.teec.verifier.internal.ecdsa.Es384TestKeys.N;
import static dev.teec.verifier.internal.ecdsa.Es384TestKeys.P;
import static dev.teec.verifier.internal.ecdsa.Es384TestKeys.p1363;
import static dev.teec.verifier.internal.ecdsa.Es384TestKeys.r;
import static dev.teec.verifier.internal.ecdsa.Es384TestKeys.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class P384EcdsaTest {
  private static final byte[] MESSAGE = "Sig_structure stand-in".getBytes(StandardCharsets.UTF_8);

  private static KeyPair pair;
  private static P384Key key;
  private static byte[] signature;

  @BeforeAll
  static void sign() throws Exception {
    pair = Es384TestKeys.keyPair(1);
    key = P384Key.of(pair.getPublic()).orElseThrow();
    signature = Es384TestKeys.signP1363(pair, MESSAGE);
  }

  @Test
  void verifyP1363_jdkSignature_verifies() {
    assertThat(P384Ecdsa.verifyP1363(key, MESSAGE, signature)).isTrue();
  }

  @Test
  void verifyP1363_otherMessage_fails() {
    byte[] other = MESSAGE.clone();
    other[0] ^= 1;
    assertThat(P384Ecdsa.verifyP1363(key, other, signature)).isFalse();
  }

  @Test
  void verifyP1363_otherKey_fails() throws Exception {
    P384Key other = P384Key.of(Es384TestKeys.keyPair(2).getPublic()).orElseThrow();
    assertThat(P384Ecdsa.verifyP1363(other, MESSAGE, signature)).isFalse();
  }

  @Test
  void verifyP1363_highS_verifiesAsEveryEcdsaVerifierDoes() {
    // (r, n - s) is the other valid signature of the same message (SPEC.md V6, malleability).
    byte[] highS = p1363(r(signature), N.subtract(s(signature)));
    assertThat(P384Ecdsa.verifyP1363(key, MESSAGE, highS)).isTrue();
  }

  @Test
  void verifyP1363_scalarsOutOfRange_fail() {
    BigInteger r = r(signature);
    BigInteger s = s(signature);
    BigInteger max = BigInteger.ONE.shiftLeft(384).subtract(BigInteger.ONE);
    for (byte[] bad :
        new byte[][] {
          p1363(BigInteger.ZERO, s),
          p1363(r, BigInteger.ZERO),
          p1363(BigInteger.ZERO, BigInteger.ZERO),
          p1363(N, s),
          p1363(r, N),
          p1363(P, s),
          p1363(max, s),
          p1363(r, max),
        }) {
      assertThat(P384Ecdsa.verifyP1363(key, MESSAGE, bad)).isFalse();
    }
  }

  @Test
  void verifyP1363_wrongLength_fails() {
    assertThat(P384Ecdsa.verifyP1363(key, MESSAGE, Arrays.copyOf(signature, 95))).isFalse();
    assertThat(P384Ecdsa.verifyP1363(key, MESSAGE, Arrays.copyOf(signature, 97))).isFalse();
    assertThat(P384Ecdsa.verifyP1363(key, MESSAGE, new byte[0])).isFalse();
  }

  @Test
  void verifyDer_strictDer_verifiesAndNonDerEncodingsFail() {
    byte[] der = der(r(signature), s(signature));
    assertThat(P384Ecdsa.verifyDer(key, MESSAGE, der)).isTrue();

    byte[] trailing = Arrays.copyOf(der, der.length + 1);
    assertThat(P384Ecdsa.verifyDer(key, MESSAGE, trailing)).isFalse();
    byte[] longFormLength = new byte[der.length + 1];
    longFormLength[0] = 0x30;
    longFormLength[1] = (byte) 0x81;
    longFormLength[2] = der[1];
    System.arraycopy(der, 2, longFormLength, 3, der.length - 2);
    assertThat(P384Ecdsa.verifyDer(key, MESSAGE, longFormLength)).isFalse();
    assertThat(P384Ecdsa.verifyDer(key, MESSAGE, der(s(signature), r(signature)))).isFalse();
    assertThat(P384Ecdsa.verifyDer(key, MESSAGE, new byte[0])).isFalse();
    assertThat(P384Ecdsa.verifyDer(key, MESSAGE, new byte[] {0x30, 0x00})).isFalse();
  }

  @Test
  void key_p384_isAcceptedAndOtherCurvesAreNot() throws Exception {
    assertThat(P384Key.of(pair.getPublic())).isPresent();
    KeyPairGenerator p256 = KeyPairGenerator.getInstance("EC");
    p256.initialize(new ECGenParameterSpec("secp256r1"));
    assertThat(P384Key.of(p256.generateKeyPair().getPublic())).isEmpty();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    assertThat(P384Key.of(rsa.generateKeyPair().getPublic())).isEmpty();
  }

  @Test
  void key_pointOffTheCurve_isRejected() {
    ECPublicKey real = (ECPublicKey) pair.getPublic();
    java.security.spec.ECPoint w = real.getW();
    ECPublicKey offCurve =
        new TestEcKey(
            new java.security.spec.ECPoint(w.getAffineX(), w.getAffineY().add(BigInteger.ONE)),
            real.getParams());
    assertThat(P384Key.isP384(offCurve.getParams())).isTrue();
    assertThat(P384Key.of(offCurve)).isEmpty();
  }

  /** DER ECDSA-Sig-Value of (r, s), both shorter than 128 bytes. */
  static byte[] der(BigInteger r, BigInteger s) {
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    byte[] out = new byte[2 + 2 + rb.length + 2 + sb.length];
    out[0] = 0x30;
    out[1] = (byte) (out.length - 2);
    out[2] = 0x02;
    out[3] = (byte) rb.length;
    System.arraycopy(rb, 0, out, 4, rb.length);
    out[4 + rb.length] = 0x02;
    out[5 + rb.length] = (byte) sb.length;
    System.arraycopy(sb, 0, out, 6 + rb.length, sb.length);
    return out;
  }

  /** An EC public key with any point, which the JDK's key factory would not build. */
  private record TestEcKey(
      java.security.spec.ECPoint getW, java.security.spec.ECParameterSpec getParams)
      implements ECPublicKey {
    @Override
    public String getAlgorithm() {
      return "EC";
    }

    @Override
    public String getFormat() {
      return null;
    }

    @Override
    public byte[] getEncoded() {
      return null;
    }
  }
}
