package dev.teec.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Documents are signed as the NSM signs them, checked without this module's own CBOR writer or
 * COSE-Java.
 */
class DocumentSignerTest {
  private static final SimulatedChain CHAIN =
      SimulatedChain.generate("signer-test", Instant.parse("2025-06-01T12:00:00Z"));

  @Test
  void sign_signatureVerifiesWithJdkOverSigStructure() throws Exception {
    CBORObject cose = CBORObject.DecodeFromBytes(DocumentSigner.sign(CHAIN, spec()));
    byte[] sigStructure =
        CBORObject.NewArray()
            .Add("Signature1")
            .Add(cose.get(0).GetByteString())
            .Add(new byte[0])
            .Add(cose.get(2).GetByteString())
            .EncodeToBytes();
    X509Certificate leaf =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(CHAIN.leafCertificate()));

    Signature es384 = Signature.getInstance("SHA384withECDSAinP1363Format");
    es384.initVerify(leaf.getPublicKey());
    es384.update(sigStructure);

    assertThat(cose.get(3).GetByteString()).hasSize(96);
    assertThat(es384.verify(cose.get(3).GetByteString())).isTrue();
  }

  @Test
  void sign_envelopeAndPayloadHaveTheNsmLayout() {
    byte[] doc = DocumentSigner.sign(CHAIN, spec());
    CBORObject payload =
        CBORObject.DecodeFromBytes(CBORObject.DecodeFromBytes(doc).get(2).GetByteString());

    // untagged array of 4, protected bstr a1 01 38 22, empty unprotected map
    assertThat(HexFormat.of().formatHex(doc, 0, 7)).isEqualTo("8444a1013822a0");
    assertThat(payload.get("module_id").AsString()).isEqualTo(CHAIN.moduleId());
    assertThat(payload.get("digest").AsString()).isEqualTo("SHA384");
    assertThat(payload.get("timestamp").AsInt64Value()).isEqualTo(CHAIN.base().toEpochMilli());
    assertThat(payload.get("certificate").GetByteString()).isEqualTo(CHAIN.leafCertificate());
    assertThat(payload.get("cabundle").size()).isEqualTo(4);
    assertThat(payload.get("cabundle").get(0).GetByteString())
        .isEqualTo(CHAIN.certificate(CertRole.ROOT));
    assertThat(payload.get("public_key").isNull()).isTrue();
    assertThat(payload.get("user_data").isNull()).isTrue();
    assertThat(payload.get("nonce").isNull()).isTrue();
  }

  @Test
  void sign_payloadKeysComeInNsmOrder() {
    CBORObject cose = CBORObject.DecodeFromBytes(DocumentSigner.sign(CHAIN, spec()));
    byte[] payload = cose.get(2).GetByteString();

    // a9 = map of 9; 69 "module_id" is the first key, 65 "nonce" the last
    assertThat(HexFormat.of().formatHex(payload, 0, 11)).isEqualTo("a9696d6f64756c655f6964");
    assertThat(new String(payload, StandardCharsets.ISO_8859_1))
        .containsSubsequence(
            "module_id",
            "digest",
            "timestamp",
            "pcrs",
            "certificate",
            "cabundle",
            "public_key",
            "user_data",
            "nonce");
  }

  @Test
  void sign_isDeterministic() {
    assertThat(DocumentSigner.sign(CHAIN, spec())).isEqualTo(DocumentSigner.sign(CHAIN, spec()));
  }

  private static DocumentSpec spec() {
    Map<Integer, byte[]> pcrs = new LinkedHashMap<>();
    for (int i = 0; i < 16; i++) {
      pcrs.put(i, new byte[48]);
    }
    return DocumentSpec.builder(CHAIN.moduleId(), CHAIN.base(), pcrs).build();
  }
}
