package dev.teec.verifier.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.DsseEnvelope;
import dev.teec.formats.report.EnvelopeCurve;
import dev.teec.formats.report.EphemeralSigningKey;
import dev.teec.formats.report.Signer;
import dev.teec.verifier.TrustAnchors;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle's DSSE envelope (SPEC W5): P-256 envelopes from the worker, older P-384 ones still
 * accepted, and the envelope attacks refused by the bundle.dsse check alone.
 */
class BundleEnvelopeTest {
  @TempDir static Path tmp;
  private static BundleForge forge;
  private static BundleForge.Parts parts;
  private static SimulatedNsm nsm;

  @BeforeAll
  static void buildBundle() throws Exception {
    forge = BundleForge.create(tmp);
    parts = forge.read(forge.base);
    nsm = forge.otherBuilder();
  }

  private static BundleVerification verify(String name, BundleForge.Parts p) throws Exception {
    return BundleVerifier.builder()
        .clock(Clock.systemUTC())
        .trustAnchors(TrustAnchors.awsNitroEnclavesRootG1())
        .simulatedRoot(nsm.rootCertificate())
        .acceptAnyImage()
        .build()
        .verify(forge.write(name, p));
  }

  private static BundleForge.Parts withEnvelope(DsseEnvelope envelope) {
    return parts.withDsse(envelope.toJson());
  }

  @Test
  void verify_workerBundle_isSignedWithAnAttestedP256Key() throws Exception {
    BundleVerification v = verify("base.tar", parts);
    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    byte[] key =
        v.requireVerified().attestation().document().publicKey().orElseThrow().toByteArray();
    assertThat(key).hasSize(91);
    assertThat(EnvelopeCurve.of(EnvelopeCurve.decodePublicKey(key))).isEqualTo(EnvelopeCurve.P256);
  }

  @Test
  void verify_olderP384Bundle_stillVerifies() throws Exception {
    EphemeralSigningKey legacy =
        EphemeralSigningKey.generate(EnvelopeCurve.P384, new SecureRandom());
    BundleVerification v =
        verify("p384.tar", forge.resign(parts, nsm::attest, legacy, legacy.publicKeyDer(), r -> r));
    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    assertThat(v.check("bundle.dsse").orElseThrow().detail()).contains("verifies");
  }

  @Test
  void verify_envelopeSignedByAnotherKey_failsOnlyTheDsseCheck() throws Exception {
    DsseEnvelope byOther =
        Dsse.sign(
            Dsse.IN_TOTO_PAYLOAD_TYPE,
            parts.report(),
            EphemeralSigningKey.generate(new SecureRandom()));
    BundleVerification v = verify("other-key.tar", withEnvelope(byOther));
    assertThat(v.failures()).containsExactly("bundle.dsse");
    assertThat(v.check("bundle.dsse").orElseThrow().detail()).contains("does not verify");
  }

  @Test
  void verify_envelopePayloadChanged_failsOnlyTheDsseCheck() throws Exception {
    DsseEnvelope original = DsseEnvelope.parse(parts.dsse());
    byte[] changed = original.payload();
    changed[changed.length - 2] ^= 1;
    BundleVerification v =
        verify(
            "payload-changed.tar",
            withEnvelope(new DsseEnvelope(original.payloadType(), changed, original.signatures())));
    assertThat(v.failures()).containsExactly("bundle.dsse");
    assertThat(v.check("bundle.dsse").orElseThrow().detail()).contains("does not verify");
  }

  @Test
  void verify_envelopePayloadTypeChanged_failsOnlyTheDsseCheck() throws Exception {
    DsseEnvelope original = DsseEnvelope.parse(parts.dsse());
    BundleVerification v =
        verify(
            "type-changed.tar",
            withEnvelope(
                new DsseEnvelope("application/json", original.payload(), original.signatures())));
    assertThat(v.failures()).containsExactly("bundle.dsse");
    assertThat(v.check("bundle.dsse").orElseThrow().detail()).contains("payloadType");
  }

  // cosign 2.5 would accept a P-384 key's SHA-256 signature; teec fixes SHA-384 for P-384 keys, so
  // an envelope cannot pick the weaker hash.
  @Test
  void verify_attestedP384KeySigningSha256_failsTheDsseCheck() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair pair = generator.generateKeyPair();
    Signer sha256 =
        new Signer() {
          @Override
          public String keyId() {
            return null;
          }

          @Override
          public byte[] sign(byte[] message) throws java.security.GeneralSecurityException {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(pair.getPrivate());
            s.update(message);
            return s.sign();
          }
        };
    BundleVerification v =
        verify(
            "p384-sha256.tar",
            forge.resign(parts, nsm::attest, sha256, pair.getPublic().getEncoded(), r -> r));
    assertThat(v.failures()).containsExactly("bundle.dsse");
    assertThat(v.check("bundle.dsse").orElseThrow().detail()).contains("does not verify");
  }
}
