package dev.teec.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Documents in the shape of QEMU's emulated NSM: unsigned, accepted only when explicitly allowed.
 */
class EmulatedDocumentTest {
  private static final Instant TIME = Instant.parse("2026-12-04T20:00:00Z");
  private static final byte[] NONCE = filled(32, 7);
  private static final byte[] USER_DATA = filled(48, 9);
  private static final byte[] PCR0 = filled(48, 1);

  private static final AttestationVerifier STRICT =
      AttestationVerifier.builder().clock(Clock.fixed(TIME, ZoneOffset.UTC)).build();
  private static final AttestationVerifier EMULATED =
      AttestationVerifier.builder()
          .clock(Clock.fixed(TIME, ZoneOffset.UTC))
          .acceptEmulated()
          .build();

  private static final VerificationOptions EXPECTING =
      VerificationOptions.builder()
          .policy(
              Policy.builder()
                  .expectPcr(0, Bytes.of(PCR0))
                  .expectNonce(Bytes.of(NONCE))
                  .expectUserData(Bytes.of(USER_DATA))
                  .build())
          .build();

  @Test
  void verify_qemuDocument_rejectedByDefault() {
    VerificationResult r = STRICT.verify(document(p -> {}, new byte[64]), EXPECTING);
    assertThat(r.verified()).isFalse();
    assertThat(r.emulated()).isFalse();
    assertThat(r.failures()).contains(CheckId.COSE_ALGORITHM, CheckId.COSE_SIGNATURE_LENGTH);
  }

  @Test
  void verify_qemuDocumentAllowed_verifiedAndMarkedEmulated() throws Exception {
    VerificationResult r = EMULATED.verify(document(p -> {}, new byte[64]), EXPECTING);
    assertThat(r.failedChecks()).isEmpty();
    assertThat(r.emulated()).isTrue();
    assertThat(r.check(CheckId.COSE_SIGNATURE).status()).isEqualTo(CheckStatus.WARN);
    assertThat(r.check(CheckId.COSE_SIGNATURE).detail()).startsWith("EMULATED:");
    assertThat(r.check(CheckId.CHAIN_ROOT_PINNED).status()).isEqualTo(CheckStatus.WARN);
    assertThat(r.check(CheckId.CHAIN_SIGNATURES).status()).isEqualTo(CheckStatus.SKIP);
    assertThat(r.check(CheckId.POLICY_NONCE).status()).isEqualTo(CheckStatus.PASS);
    assertThat(r.certificates()).isEmpty();
    assertThat(r.requireVerified().document().nonce()).contains(Bytes.of(NONCE));
  }

  @Test
  void verify_emulatedAllowed_policyStillApplies() {
    VerificationResult r =
        EMULATED.verify(
            document(p -> p.set("nonce", CBORObject.FromObject(filled(32, 8))), new byte[64]),
            EXPECTING);
    assertThat(r.emulated()).isTrue();
    assertThat(r.failures()).containsExactly(CheckId.POLICY_NONCE);
    VerificationResult pcr =
        EMULATED.verify(
            document(
                p ->
                    p.get("pcrs")
                        .set(CBORObject.FromObject(0), CBORObject.FromObject(filled(48, 2))),
                new byte[64]),
            EXPECTING);
    assertThat(pcr.failures()).containsExactly(CheckId.POLICY_PCRS);
  }

  @Test
  void verify_emulatedAllowed_anythingButQemusZerosRejected() {
    byte[] signature = new byte[64];
    signature[63] = 1;
    assertThat(EMULATED.verify(document(p -> {}, signature), EXPECTING).failures())
        .containsExactly(CheckId.COSE_SIGNATURE);
    byte[] certificate = new byte[64];
    certificate[0] = 0x30;
    assertThat(
            EMULATED
                .verify(
                    document(
                        p -> p.set("certificate", CBORObject.FromObject(certificate)),
                        new byte[64]),
                    EXPECTING)
                .failures())
        .containsExactly(CheckId.CHAIN_ROOT_PINNED);
    assertThat(
            EMULATED
                .verify(
                    document(
                        p ->
                            p.set(
                                "cabundle",
                                CBORObject.NewArray().Add(new byte[64]).Add(new byte[64])),
                        new byte[64]),
                    EXPECTING)
                .failures())
        .containsExactly(CheckId.CHAIN_ROOT_PINNED);
    // QEMU's alg with an ES384-sized signature: the envelope is not QEMU's shape.
    assertThat(EMULATED.verify(document(p -> {}, new byte[96]), EXPECTING).failures())
        .containsExactly(CheckId.COSE_SIGNATURE_LENGTH);
  }

  @Test
  void verify_emulatedAllowed_es384DocumentStillNeedsItsChain() {
    byte[] es384 = document(p -> {}, new byte[96], new byte[] {(byte) 0xA1, 0x01, 0x38, 0x22});
    VerificationResult r = EMULATED.verify(es384, EXPECTING);
    assertThat(r.emulated()).isFalse();
    assertThat(r.verified()).isFalse();
    assertThat(r.check(CheckId.COSE_ALGORITHM).status()).isEqualTo(CheckStatus.PASS);
    assertThat(r.failures()).contains(CheckId.CHAIN_PARSE);
  }

  private static byte[] document(Consumer<CBORObject> edit, byte[] signature) {
    return document(edit, signature, new byte[] {(byte) 0xA1, 0x01, 0x20});
  }

  /** A document as QEMU's NSM writes it (hw/virtio/virtio-nsm.c), edited. */
  private static byte[] document(
      Consumer<CBORObject> edit, byte[] signature, byte[] protectedHeader) {
    CBORObject pcrs = CBORObject.NewMap();
    for (int i = 0; i < 16; i++) {
      pcrs.set(CBORObject.FromObject(i), CBORObject.FromObject(i == 0 ? PCR0 : new byte[48]));
    }
    CBORObject payload = CBORObject.NewMap();
    payload.set("module_id", CBORObject.FromObject("i-0123456789abcdef0-enc0123456789abcdef"));
    payload.set("digest", CBORObject.FromObject("SHA384"));
    payload.set("timestamp", CBORObject.FromObject(TIME.toEpochMilli()));
    payload.set("pcrs", pcrs);
    payload.set("certificate", CBORObject.FromObject(new byte[64]));
    payload.set("cabundle", CBORObject.NewArray().Add(new byte[64]));
    payload.set("public_key", CBORObject.Null);
    payload.set("user_data", CBORObject.FromObject(USER_DATA));
    payload.set("nonce", CBORObject.FromObject(NONCE));
    edit.accept(payload);
    return CBORObject.FromObjectAndTag(
            CBORObject.NewArray()
                .Add(protectedHeader)
                .Add(CBORObject.NewMap())
                .Add(payload.EncodeToBytes())
                .Add(signature),
            18)
        .EncodeToBytes();
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
