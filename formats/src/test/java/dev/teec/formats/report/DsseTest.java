package dev.teec.formats.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

class DsseTest {
  private static final String TYPE = Dsse.IN_TOTO_PAYLOAD_TYPE;

  private static SecureRandom seeded(int seed) throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    return random;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // DSSE protocol.md, "Test Vectors".
  @Test
  void pae_specVector_matchesPublishedEncoding() {
    assertThat(
            new String(
                Dsse.pae("http://example.com/HelloWorld", utf8("hello world")),
                StandardCharsets.US_ASCII))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  // The spec's published P-256 signature (raw r||s) verifies over our PAE bytes, so the PAE is
  // byte-for-byte the reference one. teec itself signs with P-256 too, but DER-encoded.
  @Test
  void pae_specVector_verifiesThePublishedSignature() throws Exception {
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec p256 = params.getParameterSpec(ECParameterSpec.class);
    ECPoint point =
        new ECPoint(
            new BigInteger(
                "46950820868899156662930047687818585632848591499744589407958293238635476079160"),
            new BigInteger(
                "5640078356564379163099075877009565129882514886557779369047442380624545832820"));
    PublicKey key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, p256));
    DsseEnvelope envelope =
        DsseEnvelope.parse(
            utf8(
                "{\"payload\": \"aGVsbG8gd29ybGQ=\",\n \"payloadType\": \"http://example.com/HelloWorld\",\n"
                    + " \"signatures\": [{\"sig\": \"A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==\"}]}"));
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(key);
    verifier.update(Dsse.pae(envelope.payloadType(), envelope.payload()));
    assertThat(verifier.verify(envelope.signatures().get(0).sig())).isTrue();
    assertThat(envelope.signatures().get(0).keyId()).isNull();
    // Our verifier accepts only canonical DER signatures, and says so.
    assertThatThrownBy(() -> Dsse.verify(envelope, "http://example.com/HelloWorld", key))
        .isInstanceOf(DsseException.class)
        .hasMessageContaining("DER");
  }

  @Test
  void pae_multiByteType_countsBytesNotChars() {
    assertThat(new String(Dsse.pae("t\u00e9", new byte[0]), StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 3 t\u00e9 0 ");
  }

  @Test
  void signAndVerify_report_returnsThePayload() throws Exception {
    EphemeralSigningKey key = EphemeralSigningKey.generate(seeded(1));
    byte[] report = TestReports.sample().canonicalBytes();
    DsseEnvelope envelope = Dsse.sign(TYPE, report, key);
    byte[] json = envelope.toJson();
    assertThat(Dsse.verify(json, TYPE, key.publicKey())).isEqualTo(report);
    assertThat(Dsse.verify(json, TYPE, EnvelopeCurve.decodePublicKey(key.publicKeyDer())))
        .isEqualTo(report);
    assertThat(DsseEnvelope.parse(json)).isEqualTo(envelope);
    assertThat(envelope.signatures().get(0).keyId()).isEqualTo(key.keyId()).hasSize(64);
    assertThat(key.curve()).isEqualTo(EnvelopeCurve.P256);
    assertThat(key.publicKeyDer()).hasSize(91);
    Signature sha256 = Signature.getInstance("SHA256withECDSA");
    sha256.initVerify(key.publicKey());
    sha256.update(Dsse.pae(TYPE, report));
    assertThat(sha256.verify(envelope.signatures().get(0).sig())).isTrue();
  }

  // Bundles made before P-256 carry a P-384 key and SHA-384 signatures: they still verify.
  @Test
  void signAndVerify_legacyP384Key_verifiesWithSha384() throws Exception {
    EphemeralSigningKey key = EphemeralSigningKey.generate(EnvelopeCurve.P384, seeded(9));
    byte[] report = TestReports.sample().canonicalBytes();
    byte[] json = Dsse.sign(TYPE, report, key).toJson();
    assertThat(key.publicKeyDer()).hasSize(120);
    assertThat(Dsse.verify(json, TYPE, EnvelopeCurve.decodePublicKey(key.publicKeyDer())))
        .isEqualTo(report);
    Signature sha384 = Signature.getInstance("SHA384withECDSA");
    sha384.initVerify(key.publicKey());
    sha384.update(Dsse.pae(TYPE, report));
    assertThat(sha384.verify(DsseEnvelope.parse(json).signatures().get(0).sig())).isTrue();
  }

  // The curve alone fixes the hash: a signature made with the other hash is refused, whatever
  // cosign 2.5 would accept for a P-384 key (it hashes with SHA-256 for every PEM key).
  @Test
  void verify_signatureWithTheOtherCurvesHash_isRefused() throws Exception {
    byte[] payload = utf8("{}");
    for (EnvelopeCurve curve : EnvelopeCurve.values()) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve.standardName()), seeded(10));
      KeyPair pair = generator.generateKeyPair();
      Signature signer =
          Signature.getInstance(
              curve == EnvelopeCurve.P256 ? "SHA384withECDSA" : "SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(Dsse.pae(TYPE, payload));
      DsseEnvelope envelope =
          new DsseEnvelope(TYPE, payload, List.of(new DsseSignature(null, signer.sign())));
      assertThatThrownBy(() -> Dsse.verify(envelope, TYPE, pair.getPublic()))
          .as(curve.displayName())
          .isInstanceOf(DsseException.class)
          .hasMessageContaining("does not verify");
    }
  }

  @Test
  void toJson_envelope_isCanonicalWithStandardBase64() throws Exception {
    DsseEnvelope envelope =
        new DsseEnvelope(
            TYPE,
            new byte[] {(byte) 0xfb, (byte) 0xff},
            List.of(new DsseSignature("k", new byte[] {(byte) 0xfe})));
    assertThat(new String(envelope.toJson(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"payload\":\"+/8=\",\"payloadType\":\"application/vnd.in-toto+json\","
                + "\"signatures\":[{\"keyid\":\"k\",\"sig\":\"/g==\"}]}");
    DsseEnvelope noKeyId =
        new DsseEnvelope(TYPE, new byte[0], List.of(new DsseSignature(null, new byte[] {1})));
    assertThat(new String(noKeyId.toJson(), StandardCharsets.UTF_8))
        .contains("[{\"sig\":\"AQ==\"}]");
  }

  @Test
  void verify_tamperedPayloadOrType_fails() throws Exception {
    EphemeralSigningKey key = EphemeralSigningKey.generate(seeded(2));
    DsseEnvelope envelope = Dsse.sign(TYPE, utf8("{\"a\":1}"), key);
    DsseEnvelope tampered = new DsseEnvelope(TYPE, utf8("{\"a\":2}"), envelope.signatures());
    assertThatThrownBy(() -> Dsse.verify(tampered, TYPE, key.publicKey()))
        .isInstanceOf(DsseException.class)
        .hasMessageContaining("does not verify");
    // The type is authenticated: re-labelling the same signature for another type fails.
    DsseEnvelope relabelled =
        new DsseEnvelope("application/json", envelope.payload(), envelope.signatures());
    assertThatThrownBy(() -> Dsse.verify(relabelled, "application/json", key.publicKey()))
        .hasMessageContaining("does not verify");
    assertThatThrownBy(() -> Dsse.verify(envelope, "application/json", key.publicKey()))
        .hasMessageContaining("expected \"application/json\"");
  }

  @Test
  void verify_otherKey_failsAndAnyOfSeveralSignaturesMaySucceed() throws Exception {
    EphemeralSigningKey key = EphemeralSigningKey.generate(seeded(3));
    EphemeralSigningKey other = EphemeralSigningKey.generate(seeded(4));
    byte[] payload = utf8("{}");
    DsseEnvelope byOther = Dsse.sign(TYPE, payload, other);
    assertThatThrownBy(() -> Dsse.verify(byOther, TYPE, key.publicKey()))
        .hasMessageContaining("does not verify");
    DsseEnvelope both =
        new DsseEnvelope(
            TYPE,
            payload,
            List.of(
                byOther.signatures().get(0), Dsse.sign(TYPE, payload, key).signatures().get(0)));
    assertThat(Dsse.verify(both, TYPE, key.publicKey())).isEqualTo(payload);
    DsseEnvelope twoBad =
        new DsseEnvelope(
            TYPE, payload, List.of(byOther.signatures().get(0), byOther.signatures().get(0)));
    assertThatThrownBy(() -> Dsse.verify(twoBad, TYPE, key.publicKey()))
        .hasMessageContaining("no signature verifies");
  }

  @Test
  void verify_nonCanonicalDerSignature_isRejected() throws Exception {
    EphemeralSigningKey key = EphemeralSigningKey.generate(seeded(5));
    byte[] payload = utf8("{}");
    byte[] der = Dsse.sign(TYPE, payload, key).signatures().get(0).sig();
    ASN1Sequence seq = ASN1Sequence.getInstance(der);
    BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
    BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();

    // Same (r, s) with a long-form length byte: valid BER, not DER.
    byte[] body = Arrays.copyOfRange(der, 2, der.length);
    byte[] longForm = new byte[body.length + 3];
    longForm[0] = 0x30;
    longForm[1] = (byte) 0x81;
    longForm[2] = (byte) body.length;
    System.arraycopy(body, 0, longForm, 3, body.length);
    assertSignatureRejected(key, payload, longForm, "canonical DER");

    byte[] trailing = Arrays.copyOf(der, der.length + 1);
    assertSignatureRejected(key, payload, trailing, "not a DER ECDSA signature");

    BigInteger n =
        new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
    byte[] rPlusN =
        new DERSequence(
                new org.bouncycastle.asn1.ASN1Encodable[] {
                  new ASN1Integer(r.add(n)), new ASN1Integer(s)
                })
            .getEncoded();
    assertSignatureRejected(key, payload, rPlusN, "outside 1..n-1");

    byte[] raw = new byte[64];
    assertSignatureRejected(key, payload, raw, "signature");
  }

  private static void assertSignatureRejected(
      EphemeralSigningKey key, byte[] payload, byte[] sig, String message) {
    DsseEnvelope envelope = new DsseEnvelope(TYPE, payload, List.of(new DsseSignature(null, sig)));
    assertThatThrownBy(() -> Dsse.verify(envelope, TYPE, key.publicKey()))
        .isInstanceOf(DsseException.class)
        .hasMessageContaining(message);
  }

  @Test
  void parse_base64Variants_acceptsStandardAndUrlSafeWithOrWithoutPadding() throws Exception {
    byte[] bytes = {(byte) 0xfb, (byte) 0xff};
    for (String b64 : new String[] {"+/8=", "+/8", "-_8=", "-_8"}) {
      DsseEnvelope e = DsseEnvelope.parse(utf8(envelopeJson(b64, "AQ==")));
      assertThat(e.payload()).as(b64).isEqualTo(bytes);
    }
  }

  @Test
  void parse_malformedBase64_isRejected() {
    assertParseRejected(envelopeJson("+_8=", "AQ=="), "mixes");
    assertParseRejected(envelopeJson("+/9=", "AQ=="), "not canonical base64");
    assertParseRejected(envelopeJson("+/8==", "AQ=="), "base64");
    assertParseRejected(envelopeJson("+/ 8=", "AQ=="), "base64");
    assertParseRejected(envelopeJson("AA==", ""), "is empty");
  }

  @Test
  void parse_malformedEnvelopes_areRejected() {
    assertParseRejected("{\"payload\":\"\",\"payloadType\":\"t\"}", "lacks field \"signatures\"");
    assertParseRejected("{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[]}", "1..16");
    assertParseRejected(
        "{\"payload\":\"\",\"payloadType\":\"\",\"signatures\":[{\"sig\":\"AQ==\"}]}",
        "payloadType is empty");
    assertParseRejected(
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AQ==\"}],\"x\":1}",
        "unknown field \"x\"");
    assertParseRejected(
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AQ==\",\"publicKey\":\"\"}]}",
        "unknown field \"publicKey\"");
    assertParseRejected(
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"k\"}]}",
        "lacks field \"sig\"");
    assertParseRejected(
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":1}]}",
        "must be a string");
    assertParseRejected(
        "{\"payload\":\"\",\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AQ==\"}]}",
        "Duplicate");
    assertParseRejected(
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AQ==\"}]} []",
        "not valid JSON");
    assertParseRejected("[]", "must be a JSON object");
    assertParseRejected("", "1..");
  }

  private static String envelopeJson(String payload, String sig) {
    return "{\"payload\":\""
        + payload
        + "\",\"payloadType\":\""
        + TYPE
        + "\",\"signatures\":[{\"sig\":\""
        + sig
        + "\"}]}";
  }

  private static void assertParseRejected(String json, String message) {
    assertThatThrownBy(() -> DsseEnvelope.parse(utf8(json)))
        .isInstanceOf(DsseException.class)
        .hasMessageContaining(message);
  }

  @Test
  void decodePublicKey_rejectsOtherCurvesGarbageAndNonCanonicalEncodings() throws Exception {
    EphemeralSigningKey key = EphemeralSigningKey.generate(seeded(6));
    assertThat(EnvelopeCurve.decodePublicKey(key.publicKeyDer())).isEqualTo(key.publicKey());
    EphemeralSigningKey legacy = EphemeralSigningKey.generate(EnvelopeCurve.P384, seeded(7));
    assertThat(EnvelopeCurve.decodePublicKey(legacy.publicKeyDer())).isEqualTo(legacy.publicKey());
    KeyPairGenerator p521 = KeyPairGenerator.getInstance("EC");
    p521.initialize(new ECGenParameterSpec("secp521r1"), seeded(7));
    byte[] p521Der = p521.generateKeyPair().getPublic().getEncoded();
    assertThatThrownBy(() -> EnvelopeCurve.decodePublicKey(p521Der))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("P-256 or P-384");
    assertThatThrownBy(() -> EnvelopeCurve.decodePublicKey(new byte[] {0x30, 0x00}))
        .hasMessageContaining("SubjectPublicKeyInfo");
    byte[] trailing = Arrays.copyOf(key.publicKeyDer(), key.publicKeyDer().length + 1);
    assertThatThrownBy(() -> EnvelopeCurve.decodePublicKey(trailing))
        .isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> EnvelopeCurve.decodePublicKey(new byte[0]))
        .hasMessageContaining("1..1024");
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024, seeded(8));
    PublicKey rsaKey = rsa.generateKeyPair().getPublic();
    assertThatThrownBy(() -> EnvelopeCurve.of(rsaKey)).hasMessageContaining("got RSA");
    DsseEnvelope envelope = Dsse.sign(TYPE, utf8("{}"), key);
    assertThatThrownBy(() -> Dsse.verify(envelope, TYPE, rsaKey))
        .isInstanceOf(DsseException.class)
        .hasMessageContaining("cannot verify");
  }

  @Test
  void toPem_key_isTheSpkiInBase64LinesOf64() throws Exception {
    EphemeralSigningKey key = EphemeralSigningKey.generate(seeded(11));
    String pem = EnvelopeCurve.toPem(key.publicKey());
    List<String> lines = pem.lines().toList();
    assertThat(lines.get(0)).isEqualTo("-----BEGIN PUBLIC KEY-----");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("-----END PUBLIC KEY-----");
    assertThat(pem).endsWith("-----\n");
    List<String> body = lines.subList(1, lines.size() - 1);
    assertThat(body).allSatisfy(line -> assertThat(line.length()).isBetween(1, 64));
    assertThat(Base64.getDecoder().decode(String.join("", body))).isEqualTo(key.publicKeyDer());
  }

  @Test
  void sign_sameKeyTwice_bothVerify() throws Exception {
    EphemeralSigningKey key = EphemeralSigningKey.generate(new SecureRandom());
    byte[] payload = Base64.getDecoder().decode("e30=");
    for (int i = 0; i < 2; i++) {
      assertThat(Dsse.verify(Dsse.sign(TYPE, payload, key).toJson(), TYPE, key.publicKey()))
          .isEqualTo(payload);
    }
  }
}
