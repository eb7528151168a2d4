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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks on a registry's trust that the pinned key set and the version store stop (spec R3):
 * one maintainer counted twice, and an older signed registry replayed after a newer one.
 */
class RegistryRollbackTest {
  private static final ECKey ALICE = MaintainerKeys.generate("alice");
  private static final ECKey BOB = MaintainerKeys.generate("bob");
  private static final String NEW = sign(6, ALICE);
  private static final String OLD = sign(5, ALICE);

  @TempDir Path tmp;

  @Test
  void pinnedSet_oneKeyAgainWithZeroPaddedCoordinates_isAnError() throws Exception {
    String alice = ALICE.toPublicJWK().toJSONString();
    ObjectNode padded = (ObjectNode) new ObjectMapper().readTree(alice);
    padded.put("kid", "alice-again");
    padded.put("x", padded(ALICE.getX()));
    padded.put("y", padded(ALICE.getY()));
    String jwks = "{\"keys\":[" + alice + "," + padded + "]}";
    // Nimbus accepts the padded key as the same point, so only the strict set check stands between
    // this set and a 2-of-2 threshold met by Alice alone.
    assertThat(JWK.parse(padded.toString()).toECKey().toECPublicKey())
        .isEqualTo(ALICE.toECPublicKey());
    assertThatThrownBy(() -> MaintainerKeys.parsePublicSet(jwks))
        .isInstanceOf(RegistryFormatException.class)
        .hasMessageContaining("$.keys[1].x")
        .hasMessageContaining("exactly 48 bytes");
  }

  @Test
  void pinnedSet_oneKeyUnderTwoKeyIds_isAnError() {
    JWKSet twice =
        new JWKSet(
            List.<JWK>of(
                ALICE.toPublicJWK(), new ECKey.Builder(ALICE.toPublicJWK()).keyID("al").build()));
    assertThatThrownBy(() -> MaintainerKeys.parsePublicSet(twice.toString()))
        .hasMessageContaining("$.keys[1]")
        .hasMessageContaining("the same key as 'alice'");
    assertThatThrownBy(() -> RegistryVerifier.builder().keys(twice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the same key as 'alice'");
  }

  @Test
  void keySetId_dependsOnTheKeysNotTheirOrderOrKeyIds() {
    String ab = verifier(RegistryVersionStore.none(), ALICE, BOB).keySetId();
    String ba = verifier(RegistryVersionStore.none(), BOB, ALICE).keySetId();
    assertThat(ab).isEqualTo(ba).hasSize(64);
    assertThat(verifier(RegistryVersionStore.none(), ALICE).keySetId()).isNotEqualTo(ab);
  }

  @Test
  void olderRegistryAfterANewer_isARollback_byDefault() {
    RegistryVerifier verifier =
        RegistryVerifier.builder().keys(new JWKSet(ALICE.toPublicJWK())).clock(clock()).build();
    assertThat(verifier.verify(bytes(NEW)).verified()).isTrue();
    RegistryVerification old = verifier.verify(bytes(OLD));
    assertThat(old.verified()).isFalse();
    assertThat(old.failures()).extracting(RegistryCheck::id).containsExactly("registry.version");
    assertThat(check(old, "registry.version").detail())
        .startsWith("rollback: version 5 is below version 6 verified before for this key set");
    // The newer one still verifies, and says against what.
    assertThat(check(verifier.verify(bytes(NEW)), "registry.version").status())
        .isEqualTo(CheckStatus.PASS);
  }

  @Test
  void olderRegistry_withRollbackAllowed_verifiesWithAWarning_andKeepsTheRecord() throws Exception {
    RegistryVersionStore store = new FileRegistryVersionStore(tmp);
    assertThat(verifier(store, ALICE).verify(bytes(NEW)).verified()).isTrue();
    RegistryVerifier allowing =
        RegistryVerifier.builder()
            .keys(new JWKSet(ALICE.toPublicJWK()))
            .clock(clock())
            .versionStore(store)
            .allowRollback()
            .build();
    RegistryVerification old = allowing.verify(bytes(OLD));
    assertThat(old.verified()).isTrue();
    RegistryCheck version = check(old, "registry.version");
    assertThat(version.status()).isEqualTo(CheckStatus.WARN);
    assertThat(version.detail()).startsWith("ROLLBACK ALLOWED: version 5 is below version 6");
    assertThat(store.highest(allowing.keySetId())).hasValue(6);
  }

  @Test
  void fileStore_remembersAcrossVerifiers_perKeySet() throws Exception {
    RegistryVersionStore store = new FileRegistryVersionStore(tmp.resolve("versions"));
    RegistryVerifier first = verifier(store, ALICE);
    assertThat(first.verify(bytes(NEW)).verified()).isTrue();
    assertThat(Files.readString(tmp.resolve("versions").resolve(first.keySetId() + ".version")))
        .isEqualTo("6\n");
    // A new process with the same pinned keys refuses the old registry.
    RegistryVerification replayed =
        verifier(new FileRegistryVersionStore(tmp.resolve("versions")), ALICE).verify(bytes(OLD));
    assertThat(replayed.failures())
        .extracting(RegistryCheck::id)
        .containsExactly("registry.version");
    // Another key set has its own history.
    RegistryVerifier other = verifier(store, ALICE, BOB);
    assertThat(other.verify(bytes(OLD)).verified()).isTrue();
  }

  @Test
  void unsignedRegistryWithAHugeVersion_isNeverRecorded() {
    RegistryVersionStore store = RegistryVersionStore.inMemory();
    RegistryVerifier verifier = verifier(store, ALICE);
    String byMallory = sign(Long.MAX_VALUE / 2, MaintainerKeys.generate("alice"));
    assertThat(verifier.verify(bytes(byMallory)).failures())
        .extracting(RegistryCheck::id)
        .containsExactly("registry.signature");
    assertThat(verifier.verify(bytes(OLD)).verified()).isTrue();
  }

  @Test
  void corruptVersionFile_failsClosed() throws Exception {
    RegistryVersionStore store = new FileRegistryVersionStore(tmp);
    RegistryVerifier verifier = verifier(store, ALICE);
    Files.writeString(tmp.resolve(verifier.keySetId() + ".version"), "six\n");
    RegistryVerification v = verifier.verify(bytes(NEW));
    assertThat(v.failures()).extracting(RegistryCheck::id).containsExactly("registry.version");
    assertThat(check(v, "registry.version").detail())
        .contains("cannot be read", "is not a version file");
  }

  @Test
  void noStore_onlyTheMinimumGuards() {
    RegistryVerifier verifier = verifier(RegistryVersionStore.none(), ALICE);
    assertThat(verifier.verify(bytes(NEW)).verified()).isTrue();
    assertThat(verifier.verify(bytes(OLD)).verified()).isTrue();
  }

  private static RegistryVerifier verifier(RegistryVersionStore store, ECKey... keys) {
    List<JWK> pub = java.util.Arrays.stream(keys).map(k -> (JWK) k.toPublicJWK()).toList();
    return RegistryVerifier.builder()
        .keys(new JWKSet(pub))
        .clock(clock())
        .versionStore(store)
        .build();
  }

  private static Clock clock() {
    return Clock.fixed(Fixtures.NOW, ZoneOffset.UTC);
  }

  private static String sign(long version, ECKey key) {
    return RegistrySigner.sign(
        Fixtures.registry(version, Fixtures.image("rust-1.83-cargo", 0x10)), key);
  }

  private static String padded(Base64URL coordinate) {
    byte[] raw = coordinate.decode();
    byte[] longer = new byte[raw.length + 1];
    System.arraycopy(raw, 0, longer, 1, raw.length);
    return Base64URL.encode(longer).toString();
  }

  private static RegistryCheck check(RegistryVerification v, String id) {
    return v.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
