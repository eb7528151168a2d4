package dev.teec.truststore.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import dev.teec.verifier.CheckStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Signing and verification, SPEC.md R2 and R3: the round trips and every rejection path. */
class RegistryVerifierTest {
  private static final ECKey ALICE = MaintainerKeys.generate("alice");
  private static final ECKey BOB = MaintainerKeys.generate("bob");
  private static final ECKey CAROL = MaintainerKeys.generate("carol");
  private static final ECKey MALLORY = MaintainerKeys.generate("mallory");
  private static final Registry REGISTRY =
      Fixtures.registry(5, Fixtures.image("rust-1.83-cargo", 0x10));

  @Test
  void oneOfOne_verifies() {
    RegistryVerification v = verifier(1, ALICE).verify(bytes(RegistrySigner.sign(REGISTRY, ALICE)));
    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    assertThat(v.verifiedRegistry().orElseThrow().registry()).isEqualTo(REGISTRY);
    assertThat(v.verifiedRegistry().orElseThrow().signers()).containsExactly("alice");
    assertThat(statuses(v))
        .containsExactly(
            Map.entry("registry.format", CheckStatus.PASS),
                Map.entry("registry.signature", CheckStatus.PASS),
            Map.entry("registry.validity", CheckStatus.PASS),
                Map.entry("registry.version", CheckStatus.SKIP));
  }

  @Test
  void twoOfThree_verifies_whenTwoMaintainersSigned() throws Exception {
    String signed = RegistrySigner.addSignature(RegistrySigner.sign(REGISTRY, ALICE), CAROL);
    RegistryVerification v = verifier(2, ALICE, BOB, CAROL).verify(bytes(signed));
    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    assertThat(v.verifiedRegistry().orElseThrow().signers()).containsExactly("alice", "carol");
    assertThat(check(v, "registry.signature").detail())
        .isEqualTo("2 of 3 pinned key(s) signed (alice, carol), threshold 2");
  }

  @Test
  void addSignature_keepsThePayloadBytes() throws Exception {
    String one = RegistrySigner.sign(REGISTRY, ALICE);
    String two = RegistrySigner.addSignature(one, BOB);
    ObjectMapper m = new ObjectMapper();
    assertThat(m.readTree(two).get("payload")).isEqualTo(m.readTree(one).get("payload"));
    assertThat(m.readTree(two).get("signatures")).hasSize(2);
  }

  @Test
  void addSignature_refusesASecondSignatureByTheSameKey() {
    assertThatThrownBy(
            () -> RegistrySigner.addSignature(RegistrySigner.sign(REGISTRY, ALICE), ALICE))
        .isInstanceOf(RegistryFormatException.class)
        .hasMessageContaining("'alice' has already signed");
  }

  @Test
  void underThreshold_isRejected() {
    RegistryVerification v =
        verifier(2, ALICE, BOB, CAROL).verify(bytes(RegistrySigner.sign(REGISTRY, ALICE)));
    assertRejected(
        v,
        "registry.signature",
        "under threshold: 1 of 3 pinned key(s) signed (alice), threshold 2");
    assertThat(v.verifiedRegistry()).isEmpty();
  }

  @Test
  void wrongKey_isRejected() {
    RegistryVerification v =
        verifier(1, ALICE).verify(bytes(RegistrySigner.sign(REGISTRY, MALLORY)));
    assertRejected(v, "registry.signature", "signature 0 (kid mallory): not a pinned key");
  }

  @Test
  void wrongKeyUnderAPinnedKid_isRejected() {
    ECKey impostor = MaintainerKeys.generate("alice");
    RegistryVerification v =
        verifier(1, ALICE).verify(bytes(RegistrySigner.sign(REGISTRY, impostor)));
    assertRejected(v, "registry.signature", "does not verify against the pinned key");
  }

  @Test
  void alteredPayload_isRejected() throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode envelope = (ObjectNode) m.readTree(RegistrySigner.sign(REGISTRY, ALICE));
    String payload =
        new String(
            Base64URL.from(envelope.get("payload").asText()).decode(), StandardCharsets.UTF_8);
    String altered = payload.replace("\"version\" : 5", "\"version\" : 6");
    assertThat(altered).isNotEqualTo(payload);
    envelope.put("payload", Base64URL.encode(altered.getBytes(StandardCharsets.UTF_8)).toString());

    RegistryVerification v = verifier(1, ALICE).verify(m.writeValueAsBytes(envelope));

    assertRejected(
        v,
        "registry.signature",
        "does not verify against the pinned key (altered payload or wrong key)");
    assertThat(v.parsed().orElseThrow().version()).isEqualTo(6);
  }

  @Test
  void sameKeyTwice_countsOnce() throws Exception {
    // Two pinned kids for one key pair would let one maintainer meet a threshold of 2: refused.
    ECKey aliceAgain = new ECKey.Builder(ALICE).keyID("alice2").build();
    assertThatThrownBy(() -> verifier(2, ALICE, aliceAgain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the same key as 'alice'");
    // Alice's signature twice in the envelope still counts once.
    ObjectMapper m = new ObjectMapper();
    ObjectNode envelope = (ObjectNode) m.readTree(RegistrySigner.sign(REGISTRY, ALICE));
    envelope.withArray("signatures").add(envelope.withArray("signatures").get(0).deepCopy());
    RegistryVerification v = verifier(2, ALICE, BOB).verify(m.writeValueAsBytes(envelope));
    assertRejected(v, "registry.signature", "the same key signed more than once; counted once");
  }

  @Test
  void extraSignaturesByUnknownKeys_areNamedButDoNotCount() throws Exception {
    String signed = RegistrySigner.addSignature(RegistrySigner.sign(REGISTRY, ALICE), MALLORY);
    RegistryVerification v = verifier(1, ALICE).verify(bytes(signed));
    assertThat(v.verified()).isTrue();
    assertThat(check(v, "registry.signature").detail())
        .isEqualTo(
            "1 of 1 pinned key(s) signed (alice), threshold 1; not counted: signature 1 (kid mallory): not a pinned key");
  }

  @Test
  void tooManySignatures_isAFormatFailure() {
    StringBuilder sigs = new StringBuilder();
    for (int i = 0; i < 65; i++) {
      sigs.append(i == 0 ? "" : ",")
          .append("{\"protected\":\"eyJhbGciOiJFUzM4NCJ9\",\"signature\":\"AA\"}");
    }
    String envelope =
        "{\"payload\":\""
            + Base64URL.encode(RegistryJson.serialize(REGISTRY))
            + "\",\"signatures\":["
            + sigs
            + "]}";
    assertRejected(
        verifier(1, ALICE).verify(bytes(envelope)), "registry.format", "65 signatures, at most 64");
  }

  @Test
  void unsigned_bareDocument_isRejected() {
    RegistryVerification v = verifier(1, ALICE).verify(RegistryJson.serialize(REGISTRY));
    assertRejected(v, "registry.signature", "unsigned: the file carries no signature");
    assertThat(check(v, "registry.format").status()).isEqualTo(CheckStatus.PASS);
  }

  @Test
  void unsigned_emptySignatures_isRejected() {
    String envelope =
        "{\"payload\":\""
            + Base64URL.encode(RegistryJson.serialize(REGISTRY))
            + "\",\"signatures\":[]}";
    assertRejected(verifier(1, ALICE).verify(bytes(envelope)), "registry.signature", "unsigned");
  }

  @Test
  void expired_isRejected() {
    RegistryVerification v =
        verifier(1, Instant.parse("2027-11-01T00:00:00Z"), 0, ALICE)
            .verify(bytes(RegistrySigner.sign(REGISTRY, ALICE)));
    assertRejected(
        v, "registry.validity", "expired at 2027-11-01T00:00:00Z, now is 2027-11-01T00:00:00Z");
  }

  @Test
  void notYetIssued_isRejected() {
    RegistryVerification v =
        verifier(1, Instant.parse("2026-10-31T23:59:59Z"), 0, ALICE)
            .verify(bytes(RegistrySigner.sign(REGISTRY, ALICE)));
    assertRejected(v, "registry.validity", "not yet valid");
  }

  @Test
  void rollback_isRejected() {
    RegistryVerification v =
        verifier(1, Fixtures.NOW, 6, ALICE).verify(bytes(RegistrySigner.sign(REGISTRY, ALICE)));
    assertRejected(v, "registry.version", "rollback: version 5 is below the minimum 6");
    RegistryVerification ok =
        verifier(1, Fixtures.NOW, 5, ALICE).verify(bytes(RegistrySigner.sign(REGISTRY, ALICE)));
    assertThat(check(ok, "registry.version").status()).isEqualTo(CheckStatus.PASS);
  }

  @Test
  void garbage_isAFormatFailure_andTheRestIsSkipped() {
    RegistryVerification v = verifier(1, ALICE).verify(bytes("{\"payload\": 3}"));
    assertRejected(v, "registry.format", "not a JWS JSON general serialization");
    assertThat(v.checks().subList(1, 4)).allMatch(c -> c.status() == CheckStatus.SKIP);
  }

  @Test
  void otherAlgorithmOrType_doesNotCount() throws Exception {
    // A signature whose protected header lacks the registry typ is a signature over something else.
    com.nimbusds.jose.JWSObjectJSON jws =
        new com.nimbusds.jose.JWSObjectJSON(
            new com.nimbusds.jose.Payload(RegistryJson.serialize(REGISTRY)));
    jws.sign(
        new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES384)
            .keyID("alice")
            .build(),
        new com.nimbusds.jose.crypto.ECDSASigner(ALICE));
    assertRejected(
        verifier(1, ALICE).verify(bytes(jws.serializeGeneral())),
        "registry.signature",
        "typ is not teec-registry+jws");
  }

  @Test
  void builder_refusesABadThreshold() {
    assertThatThrownBy(
            () ->
                RegistryVerifier.builder()
                    .keys(new JWKSet(ALICE.toPublicJWK()))
                    .threshold(2)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("threshold must be between 1 and the 1");
    assertThatThrownBy(() -> RegistryVerifier.builder().threshold(1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no maintainer keys");
  }

  @Test
  void publicSet_refusesPrivateKeysAndDuplicateKids() {
    String withPrivate = new JWKSet(List.<JWK>of(ALICE)).toString(false);
    assertThatThrownBy(() -> MaintainerKeys.parsePublicSet(withPrivate))
        .isInstanceOf(RegistryFormatException.class)
        .hasMessageContaining("public keys only");
    String dup =
        new JWKSet(
                List.<JWK>of(
                    ALICE.toPublicJWK(),
                    new ECKey.Builder(BOB.toPublicJWK()).keyID("alice").build()))
            .toString();
    assertThatThrownBy(() -> MaintainerKeys.parsePublicSet(dup))
        .hasMessageContaining("duplicate key id 'alice'");
  }

  private static RegistryVerifier verifier(int k, ECKey... keys) {
    return verifier(k, Fixtures.NOW, 0, keys);
  }

  private static RegistryVerifier verifier(int k, Instant now, long minVersion, ECKey... keys) {
    List<JWK> pub = java.util.Arrays.stream(keys).map(key -> (JWK) key.toPublicJWK()).toList();
    RegistryVerifier.Builder b =
        RegistryVerifier.builder()
            .keys(new JWKSet(pub))
            .threshold(k)
            .clock(Clock.fixed(now, ZoneOffset.UTC));
    if (minVersion > 0) {
      b.minVersion(minVersion);
    }
    return b.build();
  }

  private static void assertRejected(RegistryVerification v, String id, String detail) {
    assertThat(v.verified()).isFalse();
    assertThat(v.failures()).extracting(RegistryCheck::id).contains(id);
    assertThat(check(v, id).detail()).contains(detail);
  }

  private static RegistryCheck check(RegistryVerification v, String id) {
    return v.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  private static List<Map.Entry<String, CheckStatus>> statuses(RegistryVerification v) {
    return v.checks().stream().map(c -> Map.entry(c.id(), c.status())).collect(Collectors.toList());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
