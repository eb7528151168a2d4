package dev.teec.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each scenario breaks what its name says and nothing else. These checks read the committed bytes
 * directly, without the verifier, so they hold for any verifier the vectors are used with.
 */
class ScenarioShapeTest {

  @Test
  void scenario_expiredIntermediate_onlyInstanceCaIsExpiredAtT() throws Exception {
    List<X509Certificate> chain = chain("expired-intermediate-at-T");
    Date t = Date.from(verifyAt("expired-intermediate-at-T"));

    assertThat(chain.get(1).getNotAfter()).isBefore(t); // cabundle[3], the instance CA
    for (int i : new int[] {0, 2, 3, 4}) {
      chain.get(i).checkValidity(t);
    }
  }

  @Test
  void scenario_notYetValidLeaf_onlyLeafIsNotYetValidAtT() throws Exception {
    List<X509Certificate> chain = chain("not-yet-valid-leaf");
    Date t = Date.from(verifyAt("not-yet-valid-leaf"));

    assertThat(chain.get(0).getNotBefore()).isAfter(t);
    for (int i : new int[] {1, 2, 3, 4}) {
      chain.get(i).checkValidity(t);
    }
  }

  @Test
  void scenario_cabundleRootNotPinned_sameKeyAndNameAsTrustedRootButOtherCertificate()
      throws Exception {
    X509Certificate bundled = chain("cabundle-root-not-pinned").get(4);
    X509Certificate trusted = trustedRoot("cabundle-root-not-pinned");

    assertThat(bundled.getEncoded()).isNotEqualTo(trusted.getEncoded());
    assertThat(bundled.getPublicKey()).isEqualTo(trusted.getPublicKey());
    assertThat(bundled.getSubjectX500Principal()).isEqualTo(trusted.getSubjectX500Principal());
  }

  @Test
  void scenario_wrongRoot_sameNameAsTrustedRootButOtherKey() throws Exception {
    X509Certificate bundled = chain("wrong-root").get(4);
    X509Certificate trusted = trustedRoot("wrong-root");

    assertThat(bundled.getSubjectX500Principal()).isEqualTo(trusted.getSubjectX500Principal());
    assertThat(bundled.getPublicKey()).isNotEqualTo(trusted.getPublicKey());
  }

  @Test
  void scenario_sizeLimits_sitJustPastTheLimitUnderTest() {
    assertThat(CommittedVectors.document("oversized-document").length).isGreaterThan(32 * 1024);
    byte[] tooLargePayload = CommittedVectors.document("payload-too-large");
    assertThat(tooLargePayload.length).isLessThanOrEqualTo(32 * 1024);
    assertThat(payload("payload-too-large").length).isGreaterThan(16 * 1024);
    assertThat(payloadMap("oversized-user-data").get("user_data").GetByteString()).hasSize(1025);
    assertThat(payloadMap("valid-max-size-fields").get("user_data").GetByteString()).hasSize(1024);
  }

  @Test
  void scenario_encodingVariants_haveTheEncodingTheirNameSays() {
    byte[] indefinite = payload("valid-indefinite-payload-map");
    assertThat(indefinite[0]).isEqualTo((byte) 0xbf);
    assertThat(indefinite[indefinite.length - 1]).isEqualTo((byte) 0xff);
    assertThat(CommittedVectors.document("valid-tag18")[0]).isEqualTo((byte) 0xd2);
    assertThat(CommittedVectors.document("valid-document")[0]).isEqualTo((byte) 0x84);
    assertThat(payload("valid-noncanonical-key-order"))
        .startsWith(0xa9, 0x65, 'n', 'o', 'n', 'c', 'e');
  }

  private static Instant verifyAt(String scenario) {
    return Instant.parse(CommittedVectors.expected(scenario).get("verifyAt").AsString());
  }

  /**
   * Leaf first, then the instance, zonal and regional CAs, then cabundle[0], as a verifier walks
   * the chain.
   */
  private static List<X509Certificate> chain(String scenario) throws Exception {
    CBORObject payload = payloadMap(scenario);
    List<X509Certificate> out = new ArrayList<>();
    out.add(x509(payload.get("certificate").GetByteString()));
    CBORObject bundle = payload.get("cabundle");
    for (int i = bundle.size() - 1; i >= 0; i--) {
      out.add(x509(bundle.get(i).GetByteString()));
    }
    return out;
  }

  private static X509Certificate trustedRoot(String scenario) throws Exception {
    return x509(CommittedVectors.read(scenario, GenerateVectors.ROOT));
  }

  private static byte[] payload(String scenario) {
    return CBORObject.DecodeFromBytes(CommittedVectors.document(scenario)).get(2).GetByteString();
  }

  private static CBORObject payloadMap(String scenario) {
    return CBORObject.DecodeFromBytes(payload(scenario));
  }

  private static X509Certificate x509(byte[] encoded) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(encoded));
  }
}
