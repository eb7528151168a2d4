package dev.teec.verifier.vote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.SourceInfo;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.bundle.BundleForge;
import dev.teec.verifier.bundle.BundleVerifier;
import dev.teec.verifier.bundle.VerifiedBundle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vote as a library: builders told apart by attestation (parent instance under an instance
 * root, otherwise the root), one source, one vote per builder, a strict majority per artifact.
 * Operator keys are in {@link OperatorVoteTest}.
 */
class VoteTest {
  static final String A1 = "i-0aaaaaaaaaaaaaaa1-enc0000000000000001";
  static final String A2 = "i-0aaaaaaaaaaaaaaa1-enc0000000000000002";
  static final String B1 = "i-0bbbbbbbbbbbbbbb2-enc0000000000000003";
  static final String B2 = "i-0bbbbbbbbbbbbbbb2-enc0000000000000004";
  static final String C1 = "i-0ccccccccccccccc3-enc0000000000000005";

  @TempDir static Path tmp;
  private static BundleForge forge;
  private static BundleForge.Parts parts;
  private static BundleVerifier simulated;
  private static BundleVerifier nitro;
  private static Vote byInstance;
  private static byte[] trojan;
  private static String good;
  private static String bad;
  private static int counter;

  @BeforeAll
  static void bundles() throws Exception {
    forge = BundleForge.create(tmp);
    parts = forge.read(forge.base);
    byte[] hello = parts.artifacts().get("hello");
    trojan = Arrays.copyOf(hello, hello.length + 1);
    simulated =
        BundleVerifier.builder()
            .simulatedRoot(forge.otherBuilder().rootCertificate())
            .acceptAnyImage()
            .build();
    TrustAnchors instanceRoot = TrustAnchors.of(List.of(forge.instanceRoot()));
    nitro = BundleVerifier.builder().trustAnchors(instanceRoot).acceptAnyImage().build();
    byInstance = Vote.builder().instanceRoots(instanceRoot).build();
    good = BundleForge.sha256(hello);
    bad = BundleForge.sha256(trojan);
  }

  /** An honest bundle built on {@code moduleId}. */
  static VerifiedBundle honest(String moduleId) throws Exception {
    return verify(nitro, forge.resign(parts, forge.onInstance(moduleId), r -> r));
  }

  /** A bundle with a trojaned {@code hello} built on {@code moduleId}. */
  static VerifiedBundle trojaned(String moduleId) throws Exception {
    return verify(nitro, forge.withOutput(parts, forge.onInstance(moduleId), "hello", trojan));
  }

  static VerifiedBundle sourced(String moduleId, UnaryOperator<ProvenanceReport> change)
      throws Exception {
    return verify(nitro, forge.resign(parts, forge.onInstance(moduleId), change));
  }

  static VerifiedBundle verify(BundleVerifier verifier, BundleForge.Parts p) throws Exception {
    return verifier.verify(forge.write("v" + (++counter) + ".tar", p)).requireVerified();
  }

  private static List<Ballot> ballots(VerifiedBundle... bundles) {
    return Arrays.stream(bundles).map(Ballot::of).toList();
  }

  @Test
  void count_twoParentInstancesAgree_unanimousWithTwoBuilders() throws Exception {
    VoteResult v = byInstance.count(ballots(honest(A1), honest(B1)));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.UNANIMOUS);
    assertThat(v.votes()).isEqualTo(2);
    assertThat(v.voters())
        .extracting(VoteResult.Voter::name)
        .containsExactly(
            "parent instance i-0aaaaaaaaaaaaaaa1", "parent instance i-0bbbbbbbbbbbbbbb2");
    assertThat(v.independence()).isEqualTo(Map.of(Independence.PARENT_INSTANCE, 2));
    assertThat(v.artifacts().get(0).majority()).isEqualTo(good);
  }

  @Test
  void count_oneHonestAndTwoTrojansFromOneMachine_trojanCountsOnceAndTies() throws Exception {
    // Issue 10.3: two launches on one instance used to be two module ids, hence two votes.
    VerifiedBundle h = honest(A1);
    VerifiedBundle t1 = trojaned(B1);
    VerifiedBundle t2 = trojaned(B2);
    VoteResult v = byInstance.count(ballots(h, t1, t2));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.TIE);
    assertThat(v.votes()).isEqualTo(2);
    VoteResult.Voter machine = v.voters().get(1);
    assertThat(machine.name()).isEqualTo("parent instance i-0bbbbbbbbbbbbbbb2");
    assertThat(machine.inputs()).containsExactly(t1.input(), t2.input());
    assertThat(v.artifacts().get(0).digests())
        .extracting(VoteResult.DigestCount::sha256, VoteResult.DigestCount::count)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(good, 1),
            org.assertj.core.groups.Tuple.tuple(bad, 1));
    assertThat(v.excluded()).isEmpty();
  }

  @Test
  void count_machineWhoseBundlesDisagree_doesNotVoteAndIsNamed() throws Exception {
    VerifiedBundle h1 = honest(A1);
    VerifiedBundle t1 = trojaned(A2);
    VoteResult v = byInstance.count(ballots(h1, t1, honest(B1)));
    assertThat(v.votes()).isEqualTo(1);
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.UNANIMOUS);
    assertThat(v.excluded())
        .extracting(VoteResult.Excluded::input)
        .containsExactly(h1.input(), t1.input());
    assertThat(v.excluded().get(0).builder()).isEqualTo("parent instance i-0aaaaaaaaaaaaaaa1");
    assertThat(v.excluded().get(0).reason())
        .contains("disagree with each other on hello")
        .contains("does not vote");
    assertThat(Vote.builder().instanceRoots(anchors()).quorum(2).build().count(ballots(h1, t1)))
        .extracting(VoteResult::outcome)
        .isEqualTo(VoteResult.Outcome.NO_VALID_VOTES);
  }

  @Test
  void count_oneHonestAndTwoTrojansAllFromOneMachine_nobodyVotes() throws Exception {
    VoteResult v = byInstance.count(ballots(honest(A1), trojaned(A2), trojaned(A2)));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.NO_VALID_VOTES);
    assertThat(v.excluded()).hasSize(3);
  }

  @Test
  void count_quorum_countsIndependentBuildersNotBundles() throws Exception {
    Vote two = Vote.builder().instanceRoots(anchors()).quorum(2).build();
    assertThat(two.count(ballots(honest(A1), honest(A2), honest(A1))).outcome())
        .isEqualTo(VoteResult.Outcome.QUORUM_NOT_MET);
    assertThat(two.count(ballots(honest(A1), honest(C1))).outcome())
        .isEqualTo(VoteResult.Outcome.UNANIMOUS);
  }

  @Test
  void count_simulatedBundles_areOneBuilder() throws Exception {
    VerifiedBundle a = simulated.verify(forge.base).requireVerified();
    VerifiedBundle b = verify(simulated, forge.resign(parts, forge.otherBuilder(), r -> r));
    assertThat(a.builder().moduleId()).isNotEqualTo(b.builder().moduleId());
    VoteResult v = Vote.count(List.of(a, b), 1);
    assertThat(v.votes()).isEqualTo(1);
    assertThat(v.voters().get(0).basis()).isEqualTo(Independence.SIMULATED_ROOT);
    assertThat(v.voters().get(0).simulated()).isTrue();
    assertThat(v.voters().get(0).name()).startsWith("simulated root ");
    assertThat(Vote.count(List.of(a, b), 2).outcome()).isEqualTo(VoteResult.Outcome.QUORUM_NOT_MET);
  }

  @Test
  void count_rootThatIsNotAnInstanceRoot_isOneBuilderWhateverItsModuleIds() throws Exception {
    // Under the default instance root (AWS's), the test root's module ids prove nothing.
    VoteResult v = Vote.count(List.of(honest(A1), honest(B1), honest(C1)), 1);
    assertThat(v.votes()).isEqualTo(1);
    assertThat(v.voters().get(0).basis()).isEqualTo(Independence.ATTESTATION_ROOT);
    assertThat(v.voters().get(0).bundles()).hasSize(3);
  }

  @Test
  void count_instanceRootModuleIdWithoutAnInstance_isExcluded() throws Exception {
    VerifiedBundle odd = honest("enclave-7");
    VoteResult v = byInstance.count(ballots(odd, honest(A1)));
    assertThat(v.votes()).isEqualTo(1);
    assertThat(v.excluded())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.reason())
                    .isEqualTo(
                        "the attested module id enclave-7 does not name an EC2 parent instance"
                            + " (i-...-enc...)"));
  }

  @Test
  void parentInstance_nitroModuleIds_giveTheInstance() {
    assertThat(BuilderId.parentInstance("i-0bbf1bfe232b8c2ce-enc0191ba35c9d1b77a"))
        .contains("i-0bbf1bfe232b8c2ce");
    assertThat(BuilderId.parentInstance("i-12345678-enc0191ba35c9d1b77a")).contains("i-12345678");
    for (String notNitro :
        List.of(
            "sim-i-0bbf1bfe232b8c2ce-enc0191ba35c9d1b77a",
            "i-0bbf1bfe232b8c2ce",
            "i-0BBF1BFE232B8C2CE-enc0191ba35c9d1b77a",
            "i-0bbf1bfe232b8c2ce-enc0191ba35c9d1b77",
            "i-0bbf1bfe232b8c2ce-enc0191ba35c9d1b77a\n",
            "i-0bbf1bfe232b8c2-enc0191ba35c9d1b77a")) {
      assertThat(BuilderId.parentInstance(notNitro)).as(notNitro).isEmpty();
    }
  }

  @Test
  void count_bundlesOfDifferentCommits_refuseNamingEverySource() throws Exception {
    VerifiedBundle one = sourced(A1, r -> withCommit(r, "ab"));
    VerifiedBundle two = sourced(B1, r -> withCommit(r, "ab"));
    VerifiedBundle other = sourced(C1, r -> withCommit(r, "cd"));
    VoteResult v = byInstance.count(ballots(one, other, two));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.SOURCES_DIFFER);
    assertThat(v.outcome().agreed()).isFalse();
    assertThat(v.voters()).isEmpty();
    assertThat(v.source()).isNull();
    assertThat(v.sources()).hasSize(2);
    assertThat(v.sources().get(0).commit()).isEqualTo("ab".repeat(20));
    assertThat(v.sources().get(0).bundles()).containsExactly(one.input(), two.input());
    assertThat(v.sources().get(1).commit()).isEqualTo("cd".repeat(20));
    assertThat(v.sources().get(1).bundles()).containsExactly(other.input());
  }

  @Test
  void count_bundlesOfAnotherArchiveOrBuildJson_refuse() throws Exception {
    VerifiedBundle base = honest(A1);
    VerifiedBundle archive =
        sourced(B1, r -> BundleForge.withSource(r, SourceInfo.ofArchive("cd".repeat(32))));
    assertThat(byInstance.count(ballots(base, archive)).outcome())
        .isEqualTo(VoteResult.Outcome.SOURCES_DIFFER);
    VerifiedBundle buildJson =
        sourced(
            B1,
            r -> {
              ObjectNode json = (ObjectNode) r.buildJson();
              ((ObjectNode) json.get("input")).put("cmd", "gcc -DTROJAN -o hello hello.c");
              return BundleForge.withBuildJson(r, json);
            });
    VoteResult v = byInstance.count(ballots(base, buildJson));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.SOURCES_DIFFER);
    assertThat(v.sources().get(0).buildJsonSha256())
        .isNotEqualTo(v.sources().get(1).buildJsonSha256());
    assertThat(v.sources().get(0).archiveSha256()).isEqualTo(v.sources().get(1).archiveSha256());
  }

  @Test
  void count_sameSourceUnderTwoUris_isOneSourceNamingBoth() throws Exception {
    VerifiedBundle https =
        sourced(A1, r -> withCommit(r, "ab", "git+https://github.com/example/hello.git"));
    VerifiedBundle ssh =
        sourced(B1, r -> withCommit(r, "ab", "git+ssh://github.com/example/hello.git"));
    VoteResult v = byInstance.count(ballots(https, ssh));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.UNANIMOUS);
    assertThat(v.source().uris())
        .containsExactly(
            "git+https://github.com/example/hello.git", "git+ssh://github.com/example/hello.git");
    assertThat(v.source().commit()).isEqualTo("ab".repeat(20));
    assertThat(v.source().describe())
        .startsWith("git+https://github.com/example/hello.git or git+ssh://")
        .contains("@" + "ab".repeat(20));
  }

  @Test
  void count_commitClaimedByOneClient_isNotCalledVerified() throws Exception {
    VerifiedBundle verified =
        sourced(
            A1,
            r -> BundleForge.withSource(r, withCommit(r, "ab").source().withCommitVerified(true)));
    VerifiedBundle claimed = sourced(B1, r -> withCommit(r, "ab"));
    VoteResult both = byInstance.count(ballots(verified, claimed));
    assertThat(both.outcome()).isEqualTo(VoteResult.Outcome.UNANIMOUS);
    assertThat(both.source().commitVerified()).isFalse();
    assertThat(both.source().describe()).contains(", UNVERIFIED commit claim (the client's word)");
    VoteResult one = byInstance.count(ballots(verified));
    assertThat(one.source().commitVerified()).isTrue();
    assertThat(one.source().describe()).contains(", commit verified by the worker");
  }

  @Test
  void count_sameCommitBuiltFromAnotherDirectory_refuses() throws Exception {
    VerifiedBundle top = sourced(A1, r -> withCommit(r, "ab"));
    VerifiedBundle sub =
        sourced(B1, r -> BundleForge.withSource(r, withCommit(r, "ab").source().withPath("cmd")));
    VoteResult v = byInstance.count(ballots(top, sub));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.SOURCES_DIFFER);
    assertThat(v.sources().get(1).path()).isEqualTo("cmd");
    assertThat(v.sources().get(1).describe()).contains("@" + "ab".repeat(20) + ", directory cmd");
  }

  @Test
  void count_nothingVerified_noValidVotes() {
    assertThat(Vote.count(List.of(), 1).outcome()).isEqualTo(VoteResult.Outcome.NO_VALID_VOTES);
    assertThatThrownBy(() -> Vote.count(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Vote.builder().quorum(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the quorum must be at least 1, got 0");
  }

  static TrustAnchors anchors() throws Exception {
    return TrustAnchors.of(List.of(forge.instanceRoot()));
  }

  static ProvenanceReport withCommit(ProvenanceReport r, String commitByte) {
    return withCommit(r, commitByte, "git+https://github.com/example/hello.git");
  }

  static ProvenanceReport withCommit(ProvenanceReport r, String commitByte, String uri) {
    return BundleForge.withSource(
        r,
        r.source()
            .withUri(uri)
            .withCommit(commitByte.repeat(20))
            .withTree("ef".repeat(20))
            .withDirty(false));
  }
}
