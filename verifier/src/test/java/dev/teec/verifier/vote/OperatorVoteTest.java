package dev.teec.verifier.vote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.bundle.BundleForge;
import dev.teec.verifier.bundle.BundleVerifier;
import dev.teec.verifier.bundle.VerifiedBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vote with pinned operator keys ({@code --builders}): only bundles signed by a pinned key
 * count, one builder per key, and the operator signature is attacked as a forger would.
 */
class OperatorVoteTest {
  @TempDir static Path tmp;
  private static BundleForge forge;
  private static BundleForge.Parts parts;
  private static BundleVerifier simulated;
  private static ECKey alice;
  private static ECKey bob;
  private static ECKey carol;
  private static ECKey mallory;
  private static OperatorKeys pinned;
  private static Vote vote;
  private static VerifiedBundle s1;
  private static VerifiedBundle s2;
  private static VerifiedBundle s3;
  private static VerifiedBundle t1;
  private static VerifiedBundle t2;
  private static String good;
  private static String bad;

  @BeforeAll
  static void bundles() throws Exception {
    forge = BundleForge.create(tmp);
    parts = forge.read(forge.base);
    byte[] hello = parts.artifacts().get("hello");
    byte[] trojan = Arrays.copyOf(hello, hello.length + 1);
    simulated =
        BundleVerifier.builder()
            .simulatedRoot(forge.otherBuilder().rootCertificate())
            .acceptAnyImage()
            .build();
    s1 = simulated.verify(forge.base).requireVerified();
    s2 = verify(simulated, forge.resign(parts, forge.otherBuilder(), r -> r));
    s3 = verify(simulated, forge.resign(parts, forge.otherBuilder(), r -> r));
    t1 = verify(simulated, forge.withOutput(parts, forge.otherBuilder(), "hello", trojan));
    t2 = verify(simulated, forge.withOutput(parts, forge.otherBuilder(), "hello", trojan));
    alice = MaintainerKeys.generate("alice");
    bob = MaintainerKeys.generate("bob");
    carol = MaintainerKeys.generate("carol");
    mallory = MaintainerKeys.generate("alice"); // claims alice's key id
    pinned = OperatorKeys.of(new JWKSet(List.of(alice.toPublicJWK(), bob.toPublicJWK())));
    vote = Vote.builder().operatorKeys(pinned).build();
    good = BundleForge.sha256(hello);
    bad = BundleForge.sha256(trojan);
  }

  private static int counter;

  static VerifiedBundle verify(BundleVerifier verifier, BundleForge.Parts p) throws Exception {
    return verifier.verify(forge.write("o" + (++counter) + ".tar", p)).requireVerified();
  }

  static Ballot signed(VerifiedBundle b, ECKey key) {
    return new Ballot(b, sig(b, key));
  }

  static byte[] sig(VerifiedBundle b, ECKey key) {
    return (OperatorSignature.sign(b.reportSha384(), key) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static String reason(VoteResult v, VerifiedBundle b) {
    return v.excluded().stream()
        .filter(e -> e.input().equals(b.input()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(b.input() + " was not excluded: " + v))
        .reason();
  }

  @Test
  void count_twoPinnedOperators_twoBuildersTellApartByKey() {
    VoteResult v = vote.count(List.of(signed(s1, alice), signed(s2, bob)));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.UNANIMOUS);
    assertThat(v.voters())
        .extracting(VoteResult.Voter::name)
        .containsExactly("operator key alice", "operator key bob");
    assertThat(v.independence()).isEqualTo(Map.of(Independence.OPERATOR_KEY, 2));
    assertThat(v.voters()).allMatch(VoteResult.Voter::simulated);
    assertThat(v.voters().get(0).bundles().get(0).operatorKey()).isEqualTo("alice");
    assertThat(v.artifacts().get(0).majority()).isEqualTo(good);
  }

  @Test
  void count_oneHonestAndTwoTrojansByOneOperator_trojanCountsOnce() {
    VoteResult v = vote.count(List.of(signed(s1, alice), signed(t1, bob), signed(t2, bob)));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.TIE);
    assertThat(v.votes()).isEqualTo(2);
    assertThat(v.voters().get(1).inputs()).containsExactly(t1.input(), t2.input());
    assertThat(v.artifacts().get(0).digests()).allMatch(d -> d.count() == 1);
  }

  @Test
  void count_forgedSignature_doesNotCount() {
    String jws = OperatorSignature.sign(s2.reportSha384(), alice);
    char last = jws.charAt(jws.length() - 2);
    String altered =
        jws.substring(0, jws.length() - 2)
            + (last == 'A' ? 'B' : 'A')
            + jws.charAt(jws.length() - 1);
    VoteResult v =
        vote.count(
            List.of(signed(s1, bob), new Ballot(s2, altered.getBytes(StandardCharsets.US_ASCII))));
    assertThat(v.votes()).isEqualTo(1);
    assertThat(reason(v, s2))
        .isEqualTo(
            "the operator signature does not verify with the pinned key 'alice' (forged, altered,"
                + " or made with another key)");
  }

  @Test
  void count_signatureWithAnotherBundlesPayloadSpliced_doesNotVerify() {
    String[] mine = OperatorSignature.sign(s1.reportSha384(), alice).split("\\.");
    String payload = Base64URL.encode(OperatorSignature.payload(s2.reportSha384())).toString();
    byte[] spliced = (mine[0] + "." + payload + "." + mine[2]).getBytes(StandardCharsets.US_ASCII);
    assertThat(reason(vote.count(List.of(new Ballot(s2, spliced))), s2))
        .contains("does not verify with the pinned key 'alice'");
  }

  @Test
  void count_unpinnedKeyClaimingAPinnedKeyId_doesNotVerify() {
    assertThat(reason(vote.count(List.of(signed(s1, mallory))), s1))
        .contains("does not verify with the pinned key 'alice'");
  }

  @Test
  void count_signatureByAnUnpinnedKey_doesNotCount() {
    VoteResult v = vote.count(List.of(signed(s1, carol), signed(s2, alice)));
    assertThat(v.votes()).isEqualTo(1);
    assertThat(reason(v, s1))
        .isEqualTo("signed with key 'carol', which is not a pinned operator key");
  }

  @Test
  void count_signatureOfAnotherBundle_doesNotCount() {
    VoteResult v = vote.count(List.of(new Ballot(s2, sig(s1, alice))));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.NO_VALID_VOTES);
    assertThat(reason(v, s2))
        .isEqualTo(
            "key 'alice' signed the report with SHA-384 "
                + s1.reportSha384()
                + ", not this bundle");
  }

  @Test
  void count_oneKeySigningDisagreeingBundles_thatOperatorDoesNotVote() {
    VoteResult v = vote.count(List.of(signed(s1, alice), signed(t1, alice), signed(s2, bob)));
    assertThat(v.votes()).isEqualTo(1);
    assertThat(v.voters().get(0).name()).isEqualTo("operator key bob");
    assertThat(v.excluded())
        .extracting(VoteResult.Excluded::input, VoteResult.Excluded::builder)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(s1.input(), "operator key alice"),
            org.assertj.core.groups.Tuple.tuple(t1.input(), "operator key alice"));
    assertThat(reason(v, t1))
        .startsWith("operator key alice made bundles that disagree with each other on hello");
  }

  @Test
  void count_oneKeySigningSeveralAgreeingBundles_countsOnce() {
    VoteResult v =
        Vote.builder()
            .operatorKeys(pinned)
            .quorum(2)
            .build()
            .count(List.of(signed(s1, alice), signed(s2, alice), signed(s3, alice)));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.QUORUM_NOT_MET);
    assertThat(v.votes()).isEqualTo(1);
    assertThat(v.voters().get(0).bundles()).hasSize(3);
  }

  @Test
  void count_twoKeysSigningBundlesOfOneParentInstance_areOneBuilder() throws Exception {
    TrustAnchors root = TrustAnchors.of(List.of(forge.instanceRoot()));
    BundleVerifier nitro = BundleVerifier.builder().trustAnchors(root).acceptAnyImage().build();
    VerifiedBundle a = verify(nitro, forge.resign(parts, forge.onInstance(VoteTest.A1), r -> r));
    VerifiedBundle b = verify(nitro, forge.resign(parts, forge.onInstance(VoteTest.A2), r -> r));
    VoteResult v =
        Vote.builder()
            .operatorKeys(pinned)
            .instanceRoots(root)
            .build()
            .count(List.of(signed(a, alice), signed(b, bob)));
    assertThat(v.votes()).isEqualTo(1);
    VoteResult.Voter one = v.voters().get(0);
    assertThat(one.name()).isEqualTo("operator keys alice, bob");
    assertThat(one.identities())
        .containsExactly(
            new BuilderId(Independence.OPERATOR_KEY, "alice"),
            new BuilderId(Independence.OPERATOR_KEY, "bob"),
            new BuilderId(Independence.PARENT_INSTANCE, "i-0aaaaaaaaaaaaaaa1"));
  }

  @Test
  void count_unsignedBundle_doesNotCount() throws Exception {
    VoteResult v = vote.count(List.of(Ballot.nextTo(s1), Ballot.of(s2)));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.NO_VALID_VOTES);
    assertThat(reason(v, s1)).isEqualTo("no operator signature (" + s1.input() + ".jws)");
  }

  @Test
  void nextTo_readsTheSignatureFileBesideTheBundle() throws Exception {
    Files.write(OperatorSignature.fileFor(Path.of(s3.input())), sig(s3, bob));
    VoteResult v = vote.count(List.of(Ballot.nextTo(s3)));
    assertThat(v.votes()).isEqualTo(1);
    assertThat(v.voters().get(0).name()).isEqualTo("operator key bob");
    assertThat(OperatorSignature.fileFor(Path.of("/x/hello.tar")))
        .isEqualTo(Path.of("/x/hello.tar.jws"));
  }

  @Test
  void check_headersOtherThanAlgKidTyp_areRejected() throws Exception {
    byte[] payload = OperatorSignature.payload(s1.reportSha384());
    JWSHeader embeddedKey =
        new JWSHeader.Builder(JWSAlgorithm.ES384)
            .keyID("alice")
            .type(OperatorSignature.TYPE)
            .jwk(mallory.toPublicJWK())
            .build();
    assertThat(pinned.check(s1, jws(embeddedKey, payload, alice)).problem())
        .isEqualTo(
            "the operator signature's header has parameters other than alg, kid and typ: jwk");
    JWSHeader otherType =
        new JWSHeader.Builder(JWSAlgorithm.ES384)
            .keyID("alice")
            .type(new JOSEObjectType("teec-registry+jws"))
            .build();
    assertThat(pinned.check(s1, jws(otherType, payload, alice)).problem())
        .contains("has typ teec-registry+jws, not teec-bundle-signature+jws");
    JWSHeader noKid =
        new JWSHeader.Builder(JWSAlgorithm.ES384).type(OperatorSignature.TYPE).build();
    assertThat(pinned.check(s1, jws(noKid, payload, alice)).problem()).contains("names no key");
  }

  @Test
  void check_notAJwsOrTooLarge_isRejectedWithoutParsing() {
    assertThat(pinned.check(s1, "hello".getBytes(StandardCharsets.US_ASCII)).problem())
        .startsWith("the operator signature is not a JWS compact serialization");
    assertThat(pinned.check(s1, new byte[OperatorSignature.MAX_SIZE + 1]).problem())
        .isEqualTo("the operator signature is larger than 16384 bytes");
    assertThat(pinned.check(s1, sig(s1, alice)).verified()).isTrue();
  }

  @Test
  void pin_oneKeyListedTwice_isRefused() throws Exception {
    ECKey again = new ECKey.Builder(alice.toPublicJWK()).keyID("alice2").build();
    assertThatThrownBy(() -> OperatorKeys.of(new JWKSet(List.of(alice.toPublicJWK(), again))))
        .isInstanceOf(RegistryFormatException.class)
        .hasMessageContaining("$.keys[1]")
        .hasMessageContaining("the same key as 'alice'");
    String padded =
        new JWKSet(List.of(alice.toPublicJWK(), bob.toPublicJWK()))
            .toString()
            .replace(
                "\"x\":\"" + alice.getX() + "\"",
                "\"x\":\"" + Base64URL.encode(zeroPadded(alice.getX().decode())) + "\"");
    assertThatThrownBy(() -> OperatorKeys.parse(padded))
        .isInstanceOf(RegistryFormatException.class)
        .hasMessageContaining("49 bytes");
    assertThatThrownBy(() -> OperatorKeys.of(new JWKSet(alice)))
        .isInstanceOf(RegistryFormatException.class)
        .hasMessageContaining("public keys only");
  }

  @Test
  void sign_malformedDigestOrPublicKey_isRefused() {
    assertThatThrownBy(() -> OperatorSignature.sign("AB", alice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("96 lowercase hex digits");
    assertThatThrownBy(() -> OperatorSignature.sign(s1.reportSha384(), alice.toPublicJWK()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private");
  }

  private static byte[] zeroPadded(byte[] b) {
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 1, b.length);
    return out;
  }

  private static byte[] jws(JWSHeader header, byte[] payload, ECKey key) throws Exception {
    JWSObject o = new JWSObject(header, new Payload(payload));
    o.sign(new ECDSASigner(key));
    return o.serialize().getBytes(StandardCharsets.US_ASCII);
  }
}
