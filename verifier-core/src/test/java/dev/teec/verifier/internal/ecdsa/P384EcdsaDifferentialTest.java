package dev.teec.verifier.internal.ecdsa;

import static dev.teec.verifier.internal.ecdsa.Es384TestKeys.N;
import static dev.teec.verifier.internal.ecdsa.Es384TestKeys.P;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.upokecenter.cbor.CBORObject;
import dev.teec.verifier.SharedVectors;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link P384Ecdsa} against the JDK's SunEC on the same inputs: Wycheproof-style edge cases of both
 * encodings (IEEE P1363 {@code r || s} for COSE, DER for certificates) over random keys and
 * messages, and the certificate signatures of the real AWS chains, a few of them with one bit
 * flipped in every byte. Both must reach the same verdict on every case, and the verdict must be
 * the expected one.
 */
class P384EcdsaDifferentialTest {
  private static final BigInteger MAX = BigInteger.ONE.shiftLeft(384).subtract(BigInteger.ONE);

  @Test
  void p1363EdgeCases_agreeWithSunEc() throws Exception {
    Random random = new Random(7);
    int cases = 0;
    for (int k = 0; k < 8; k++) {
      KeyPair pair = Es384TestKeys.keyPair(100 + k);
      P384Key key = P384Key.of(pair.getPublic()).orElseThrow();
      byte[] message = new byte[random.nextInt(5000)];
      random.nextBytes(message);
      byte[] sig = Es384TestKeys.signP1363(pair, message);
      BigInteger r = Es384TestKeys.r(sig);
      BigInteger s = Es384TestKeys.s(sig);
      Map<String, byte[]> variants = new LinkedHashMap<>();
      variants.put("valid", sig);
      variants.put("high/low-s twin", Es384TestKeys.p1363(r, N.subtract(s)));
      variants.put("r = 0", Es384TestKeys.p1363(BigInteger.ZERO, s));
      variants.put("s = 0", Es384TestKeys.p1363(r, BigInteger.ZERO));
      variants.put("r = n", Es384TestKeys.p1363(N, s));
      variants.put("s = n", Es384TestKeys.p1363(r, N));
      variants.put("r = n + 1", Es384TestKeys.p1363(N.add(BigInteger.ONE), s));
      variants.put("s = n - 1", Es384TestKeys.p1363(r, N.subtract(BigInteger.ONE)));
      variants.put("r = p", Es384TestKeys.p1363(P, s));
      variants.put("r = 2^384 - 1", Es384TestKeys.p1363(MAX, s));
      variants.put("s = 2^384 - 1", Es384TestKeys.p1363(r, MAX));
      variants.put("r = s = 1", Es384TestKeys.p1363(BigInteger.ONE, BigInteger.ONE));
      variants.put("r and s swapped", Es384TestKeys.p1363(s, r));
      variants.put("r = n - r", Es384TestKeys.p1363(N.subtract(r), s));
      variants.put("95 bytes", Arrays.copyOf(sig, 95));
      variants.put("97 bytes", Arrays.copyOf(sig, 97));
      variants.put("empty", new byte[0]);
      for (Map.Entry<String, byte[]> v : variants.entrySet()) {
        boolean ours = P384Ecdsa.verifyP1363(key, message, v.getValue());
        boolean jdk = Es384TestKeys.jdkVerifyP1363(pair, message, v.getValue());
        assertThat(ours).as(v.getKey()).isEqualTo(jdk);
        assertThat(ours)
            .as(v.getKey())
            .isEqualTo(v.getKey().equals("valid") || v.getKey().startsWith("high"));
        cases++;
      }
    }
    assertThat(cases).isEqualTo(8 * 17);
  }

  @Test
  void derEdgeCases_agreeWithSunEc() throws Exception {
    KeyPair pair = Es384TestKeys.keyPair(200);
    P384Key key = P384Key.of(pair.getPublic()).orElseThrow();
    byte[] message = "tbsCertificate stand-in".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] p1363 = Es384TestKeys.signP1363(pair, message);
    BigInteger r = Es384TestKeys.r(p1363);
    BigInteger s = Es384TestKeys.s(p1363);
    byte[] der = P384EcdsaTest.der(r, s);
    Map<String, byte[]> variants = new LinkedHashMap<>();
    variants.put("valid", der);
    variants.put("high/low-s twin", P384EcdsaTest.der(r, N.subtract(s)));
    variants.put("r = 0", P384EcdsaTest.der(BigInteger.ZERO, s));
    variants.put("s = n", P384EcdsaTest.der(r, N));
    variants.put("r = n + r", P384EcdsaTest.der(N.add(r), s));
    variants.put("r negative", P384EcdsaTest.der(r.negate(), s));
    variants.put("trailing byte", Arrays.copyOf(der, der.length + 1));
    variants.put("truncated", Arrays.copyOf(der, der.length - 1));
    variants.put("sequence tag 0x31", withByte(der, 0, 0x31));
    variants.put("integer tag 0x03", withByte(der, 2, 0x03));
    variants.put("long-form length", longFormLength(der));
    variants.put("third integer", appendInteger(der));
    variants.put("empty sequence", new byte[] {0x30, 0x00});
    variants.put("empty", new byte[0]);
    for (Map.Entry<String, byte[]> v : variants.entrySet()) {
      boolean ours = P384Ecdsa.verifyDer(key, message, v.getValue());
      assertThat(ours)
          .as(v.getKey())
          .isEqualTo(jdkVerifyDer(pair.getPublic(), message, v.getValue()));
      assertThat(ours)
          .as(v.getKey())
          .isEqualTo(v.getKey().equals("valid") || v.getKey().startsWith("high"));
    }
  }

  @Test
  void realCertificateSignatures_withEveryByteFlipped_agreeWithSunEc() throws Exception {
    SharedVectors.assumePresent();
    // Distinct (certificate, issuer) pairs of every real chain.
    Map<String, X509Certificate[]> links = new LinkedHashMap<>();
    for (JsonNode entry : SharedVectors.manifestEntries("real")) {
      List<X509Certificate> path = chain(SharedVectors.read(entry.get("file").asText()));
      for (int i = 0; i < path.size(); i++) {
        X509Certificate issuer = path.get(Math.min(i + 1, path.size() - 1));
        links.putIfAbsent(
            Arrays.toString(path.get(i).getSignature()),
            new X509Certificate[] {path.get(i), issuer});
      }
    }
    assertThat(links.size()).isGreaterThan(40);
    int compared = 0;
    for (X509Certificate[] link : links.values()) {
      byte[] tbs = link[0].getTBSCertificate();
      byte[] sig = link[0].getSignature();
      PublicKey issuerKey = link[1].getPublicKey();
      P384Key key = P384Key.of(issuerKey).orElseThrow();
      assertThat(P384Ecdsa.verifyDer(key, tbs, sig)).isTrue();
      assertThat(jdkVerifyDer(issuerKey, tbs, sig)).isTrue();
      compared++;
    }
    // Every byte of a few signatures, one bit each (the bit position cycles along the bytes).
    List<X509Certificate[]> mutated = new ArrayList<>(links.values()).subList(0, 4);
    for (X509Certificate[] link : mutated) {
      byte[] tbs = link[0].getTBSCertificate();
      byte[] sig = link[0].getSignature();
      PublicKey issuerKey = link[1].getPublicKey();
      P384Key key = P384Key.of(issuerKey).orElseThrow();
      for (int i = 0; i < sig.length; i++) {
        byte[] m = sig.clone();
        m[i] ^= (byte) (1 << (i % 8));
        boolean ours = P384Ecdsa.verifyDer(key, tbs, m);
        assertThat(ours).as("byte " + i).isFalse().isEqualTo(jdkVerifyDer(issuerKey, tbs, m));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(40 + 4 * 100);
  }

  private static boolean jdkVerifyDer(PublicKey key, byte[] message, byte[] der)
      throws GeneralSecurityException {
    Signature v = Signature.getInstance("SHA384withECDSA");
    v.initVerify(key);
    v.update(message);
    try {
      return v.verify(der);
    } catch (SignatureException e) {
      return false;
    }
  }

  /** leaf, cabundle[n-1], ..., cabundle[0] of a real document. */
  private static List<X509Certificate> chain(byte[] document) throws Exception {
    CBORObject cose = CBORObject.DecodeFromBytes(document);
    cose = cose.isTagged() ? cose.UntagOne() : cose;
    CBORObject payload = CBORObject.DecodeFromBytes(cose.get(2).GetByteString());
    List<byte[]> ders = new ArrayList<>();
    ders.add(payload.get("certificate").GetByteString());
    CBORObject cabundle = payload.get("cabundle");
    for (int i = cabundle.size() - 1; i >= 0; i--) {
      ders.add(cabundle.get(i).GetByteString());
    }
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    for (byte[] d : ders) {
      out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(d)));
    }
    return out;
  }

  private static byte[] withByte(byte[] in, int index, int value) {
    byte[] out = in.clone();
    out[index] = (byte) value;
    return out;
  }

  /** The same SEQUENCE with its length in the (non-DER) long form 0x81 LL. */
  private static byte[] longFormLength(byte[] der) {
    byte[] out = new byte[der.length + 1];
    out[0] = 0x30;
    out[1] = (byte) 0x81;
    out[2] = der[1];
    System.arraycopy(der, 2, out, 3, der.length - 2);
    return out;
  }

  /** The SEQUENCE with a third INTEGER 1 appended. */
  private static byte[] appendInteger(byte[] der) {
    byte[] out = Arrays.copyOf(der, der.length + 3);
    out[1] = (byte) (der[1] + 3);
    out[der.length] = 0x02;
    out[der.length + 1] = 0x01;
    out[der.length + 2] = 0x01;
    return out;
  }
}
