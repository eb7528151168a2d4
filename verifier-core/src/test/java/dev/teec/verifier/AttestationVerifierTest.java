package dev.teec.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Verifier behaviour on one real document (veracruz-go-1) whose fields are known. */
class AttestationVerifierTest {
  private static final String DOC = "real/veracruz-go-1.cbor";
  private static final Instant DOC_TIME = Instant.parse("2022-11-09T22:52:00.696Z");
  private static final String PCR0 =
      "22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d01";
  private static final String USER_DATA =
      "7c37108079b3e8a36d8a7970de1d6d4ff1461e0e35d9557c4d789df5e0576620";
  private static final String NONCE =
      "c678c86135de539d183acff58886d98dfb9823041af9f934bf909ac0f8d96245";

  private byte[] document;

  @BeforeEach
  void load() {
    SharedVectors.assumePresent();
    document = SharedVectors.read(DOC);
  }

  private static AttestationVerifier verifierAt(Instant now) {
    return AttestationVerifier.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).build();
  }

  private static VerificationOptions atDocument(Policy policy) {
    return VerificationOptions.builder().time(VerificationTime.document()).policy(policy).build();
  }

  @Test
  void verify_listsEveryCheckOnceInOrder() {
    VerificationResult r = verifierAt(DOC_TIME).verify(document, atDocument(Policy.DEFAULT));
    assertThat(r.checks()).extracting(Check::id).containsExactly(CheckId.values());
    assertThat(r.verified()).isTrue();
    assertThat(r.timeMode()).isEqualTo(VerificationTime.Mode.DOCUMENT);
    assertThat(r.check(CheckId.POLICY_PCRS).status()).isEqualTo(CheckStatus.SKIP);
  }

  @Test
  void verify_matchingExpectations_pass() throws Exception {
    Policy policy =
        Policy.builder()
            .expectPcr(0, Bytes.fromHex(PCR0))
            .expectUserData(Bytes.fromHex(USER_DATA))
            .expectNonce(Bytes.fromHex(NONCE))
            .allowPcrSet(java.util.Map.of(0, Bytes.fromHex("00".repeat(48))))
            .allowPcrSet(java.util.Map.of(0, Bytes.fromHex(PCR0)))
            .build();
    VerificationResult r = verifierAt(DOC_TIME).verify(document, atDocument(policy));
    VerifiedAttestation v = r.requireVerified();
    assertThat(v.document().nonce()).contains(Bytes.fromHex(NONCE));
    assertThat(v.verifiedAt()).isEqualTo(DOC_TIME);
    assertThat(r.check(CheckId.POLICY_PCR_SETS).detail()).contains("set 1");
  }

  @Test
  void verify_pcrMismatch_failsWithExpectedAndActual() {
    Policy policy = Policy.builder().expectPcr(0, Bytes.fromHex("ab".repeat(48))).build();
    VerificationResult r = verifierAt(DOC_TIME).verify(document, atDocument(policy));
    assertThat(r.failures()).containsExactly(CheckId.POLICY_PCRS);
    assertThat(r.check(CheckId.POLICY_PCRS).detail()).contains("ab".repeat(48)).contains(PCR0);
    assertThat(r.verifiedAttestation()).isEmpty();
  }

  @Test
  void verify_pinnedPcrAbsent_fails() {
    Policy policy = Policy.builder().expectPcr(20, Bytes.fromHex("00".repeat(48))).build();
    VerificationResult r = verifierAt(DOC_TIME).verify(document, atDocument(policy));
    assertThat(r.failures()).containsExactly(CheckId.POLICY_PCRS);
    assertThat(r.check(CheckId.POLICY_PCRS).detail()).contains("PCR20 is pinned but absent");
  }

  @Test
  void verify_noAllowedSetMatches_fails() {
    Policy policy =
        Policy.builder().allowPcrSet(java.util.Map.of(1, Bytes.fromHex("00".repeat(48)))).build();
    VerificationResult r = verifierAt(DOC_TIME).verify(document, atDocument(policy));
    assertThat(r.failures()).containsExactly(CheckId.POLICY_PCR_SETS);
  }

  @Test
  void verify_wrongNonceUserDataPublicKey_eachFail() {
    Policy policy =
        Policy.builder()
            .expectNonce(Bytes.fromHex("00"))
            .expectUserData(Bytes.fromHex(USER_DATA + "00"))
            .expectPublicKey(Bytes.fromHex("01"))
            .build();
    VerificationResult r = verifierAt(DOC_TIME).verify(document, atDocument(policy));
    assertThat(r.failures())
        .containsExactly(CheckId.POLICY_USER_DATA, CheckId.POLICY_NONCE, CheckId.POLICY_PUBLIC_KEY);
    assertThat(r.check(CheckId.POLICY_PUBLIC_KEY).actual()).isEqualTo("absent");
    assertThat(r.check(CheckId.POLICY_NONCE).actual()).isEqualTo(NONCE);
  }

  @Test
  void verify_maxAgeAndFutureSkew_judgedAgainstTheClock() {
    VerificationOptions fresh =
        VerificationOptions.builder()
            .time(VerificationTime.document())
            .maxAge(Duration.ofMinutes(10))
            .maxFutureSkew(Duration.ofSeconds(30))
            .build();
    assertThat(verifierAt(DOC_TIME.plus(Duration.ofMinutes(5))).verify(document, fresh).verified())
        .isTrue();
    assertThat(verifierAt(DOC_TIME.plus(Duration.ofMinutes(11))).verify(document, fresh).failures())
        .containsExactly(CheckId.TIME_MAX_AGE);
    assertThat(verifierAt(DOC_TIME.minus(Duration.ofMinutes(1))).verify(document, fresh).failures())
        .containsExactly(CheckId.TIME_FUTURE_SKEW);
  }

  @Test
  void verify_fixedTimeBeforeLeafValidity_failsValidity() {
    VerificationOptions early =
        VerificationOptions.builder()
            .time(VerificationTime.at(Instant.parse("2022-11-09T20:00:00Z")))
            .build();
    VerificationResult r = verifierAt(DOC_TIME).verify(document, early);
    assertThat(r.failures()).containsExactly(CheckId.CHAIN_VALIDITY);
    assertThat(r.check(CheckId.CHAIN_VALIDITY).detail()).contains("not yet valid");
    assertThat(r.timeMode()).isEqualTo(VerificationTime.Mode.FIXED);
  }

  @Test
  void verify_cacheDoesNotCarryValidityAcrossTimes() {
    AttestationVerifier verifier = verifierAt(Instant.parse("2030-01-01T00:00:00Z"));
    VerificationOptions atDoc = atDocument(Policy.DEFAULT);
    assertThat(verifier.verify(document, atDoc).verified()).isTrue();
    assertThat(verifier.verify(document, VerificationOptions.DEFAULT).failures())
        .containsExactly(CheckId.CHAIN_VALIDITY);
    assertThat(verifier.verify(document, atDoc).verified()).isTrue();
  }

  @Test
  void verify_otherTrustAnchors_rejectTheAwsChain() throws Exception {
    AttestationVerifier verifier =
        AttestationVerifier.builder()
            .clock(Clock.fixed(DOC_TIME, ZoneOffset.UTC))
            .trustAnchors(TrustAnchors.of(List.of(firstCabundleCertOf("real/anjuna-1.cbor"))))
            .build();
    VerificationResult r = verifier.verify(document, atDocument(Policy.DEFAULT));
    assertThat(r.failures()).containsExactly(CheckId.CHAIN_ROOT_PINNED);
  }

  @Test
  void verify_oversizedInput_failsBeforeParsing() {
    AttestationVerifier verifier =
        AttestationVerifier.builder().maxDocumentBytes(document.length - 1).build();
    VerificationResult r = verifier.verify(document, VerificationOptions.DEFAULT);
    assertThat(r.failures()).containsExactly(CheckId.INPUT_SIZE);
    assertThat(r.decodedUnverified()).isEmpty();
    assertThat(r.checks().stream().filter(c -> c.id() != CheckId.INPUT_SIZE))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(CheckStatus.SKIP));
  }

  @Test
  void verify_documentModeWithUndecodableDocument_hasNoVerificationTime() {
    byte[] truncated = Arrays.copyOf(document, 100);
    VerificationResult r = verifierAt(DOC_TIME).verify(truncated, atDocument(Policy.DEFAULT));
    assertThat(r.verified()).isFalse();
    assertThat(r.verifiedAt()).isEmpty();
    assertThat(r.failures()).containsExactly(CheckId.CBOR_WELL_FORMED);
  }

  @Test
  void verify_leafKeyOffTheCurve_isRejectedBeforeAnySignatureIsSkipped() throws Exception {
    // The leaf's point is the last 96 bytes of its SubjectPublicKeyInfo: change Y in place.
    VerificationResult original = verifierAt(DOC_TIME).verify(document, atDocument(Policy.DEFAULT));
    byte[] leafDer =
        original.verifiedAttestation().orElseThrow().document().certificate().toByteArray();
    byte[] spki =
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(leafDer))
            .getPublicKey()
            .getEncoded();
    byte[] y = Arrays.copyOfRange(spki, spki.length - 48, spki.length);
    int at = indexOf(document, y);
    assertThat(at).isPositive();
    byte[] tampered = document.clone();
    tampered[at + 47] ^= 1;

    VerificationResult r = verifierAt(DOC_TIME).verify(tampered, atDocument(Policy.DEFAULT));
    assertThat(r.verified()).isFalse();
    assertThat(r.check(CheckId.CHAIN_ALGORITHMS).status()).isEqualTo(CheckStatus.FAIL);
    assertThat(r.check(CheckId.CHAIN_ALGORITHMS).detail())
        .isEqualTo("the leaf certificate has an EC P-384 key whose point is not on the curve");
    assertThat(r.check(CheckId.COSE_SIGNATURE).status()).isEqualTo(CheckStatus.SKIP);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void verify_concurrentUse_givesTheSameResults() throws Exception {
    AttestationVerifier verifier = verifierAt(DOC_TIME);
    byte[] tampered = document.clone();
    tampered[tampered.length - 1] ^= 1;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        byte[] input = i % 2 == 0 ? document : tampered;
        futures.add(
            pool.submit(() -> verifier.verify(input, atDocument(Policy.DEFAULT)).verified()));
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get()).as("run " + i).isEqualTo(i % 2 == 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static java.security.cert.X509Certificate firstCabundleCertOf(String file)
      throws Exception {
    // The anjuna document's instance-level intermediate is a real P-384 CA certificate that is
    // not the AWS root, so it serves as a "wrong" anchor.
    VerificationResult r =
        verifierAt(DOC_TIME)
            .verify(SharedVectors.read(file), atDocument(Policy.builder().allowDebug().build()));
    byte[] der = r.decodedUnverified().orElseThrow().cabundle().get(1).toByteArray();
    return (java.security.cert.X509Certificate)
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(der));
  }
}
