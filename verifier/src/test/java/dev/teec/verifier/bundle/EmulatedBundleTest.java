package dev.teec.verifier.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import dev.teec.verifier.TrustAnchors;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle whose attestation has the shape of QEMU's emulated NSM (the forge's document, unsigned:
 * protected header {1: -1}, zero signature, certificate and CA bundle): rejected unless emulated
 * documents are allowed, then verified with bundle.emulated, every other check as usual.
 */
class EmulatedBundleTest {
  @TempDir static Path tmp;
  private static BundleForge forge;
  private static BundleForge.Parts base;

  @BeforeAll
  static void forge() throws Exception {
    forge = BundleForge.create(tmp);
    base = forge.read(forge.base);
  }

  private static BundleVerifier.Builder verifier() {
    return BundleVerifier.builder()
        .clock(Clock.systemUTC())
        .trustAnchors(TrustAnchors.awsNitroEnclavesRootG1())
        .acceptAnyImage();
  }

  @Test
  void verify_emulatedAttestation_rejectedByDefault() throws Exception {
    Path bundle = forge.write("emulated-default.tar", base.withAttestation(unsigned(base, null)));
    BundleVerification v = verifier().build().verify(bundle);
    assertThat(v.verified()).isFalse();
    assertThat(v.emulated()).isFalse();
    assertThat(v.failures()).contains("bundle.attestation");
  }

  @Test
  void verify_emulatedAttestationAllowed_verifiedAndMarked() throws Exception {
    Path bundle = forge.write("emulated.tar", base.withAttestation(unsigned(base, null)));
    BundleVerification v = verifier().acceptEmulated().build().verify(bundle);
    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    assertThat(v.emulated()).isTrue();
    assertThat(v.simulated()).isFalse();
    assertThat(v.warnings()).contains("bundle.emulated");
    assertThat(v.requireVerified().emulated()).isTrue();
  }

  @Test
  void verify_emulatedAllowed_otherUserDataStillBreaksTheBinding() throws Exception {
    Path bundle =
        forge.write("emulated-unbound.tar", base.withAttestation(unsigned(base, new byte[48])));
    BundleVerification v = verifier().acceptEmulated().build().verify(bundle);
    assertThat(v.verified()).isFalse();
    assertThat(v.failures()).contains("bundle.binding");
  }

  /** The bundle's attestation in QEMU's unsigned shape, optionally with other user_data. */
  private static byte[] unsigned(BundleForge.Parts parts, byte[] userData) {
    CBORObject cose = CBORObject.DecodeFromBytes(parts.attestation());
    CBORObject payload = CBORObject.DecodeFromBytes(cose.get(2).GetByteString());
    payload.set("certificate", CBORObject.FromObject(new byte[64]));
    payload.set("cabundle", CBORObject.NewArray().Add(new byte[64]));
    if (userData != null) {
      payload.set("user_data", CBORObject.FromObject(userData));
    }
    return CBORObject.FromObjectAndTag(
            CBORObject.NewArray()
                .Add(new byte[] {(byte) 0xA1, 0x01, 0x20})
                .Add(CBORObject.NewMap())
                .Add(payload.EncodeToBytes())
                .Add(new byte[64]),
            18)
        .EncodeToBytes();
  }
}
