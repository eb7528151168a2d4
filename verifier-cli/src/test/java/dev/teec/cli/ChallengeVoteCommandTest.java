package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.verifier.bundle.BundleForge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * teec challenge vote over bundles from "builders": the worker's own bundle and re-signed variants
 * from other simulated NSM sessions (other module ids under the one simulated root), some with
 * another output. Without --builders they are all one builder (the simulated root); with --builders
 * each pinned operator key that signed some of them (teec bundle sign) is one builder.
 */
class ChallengeVoteCommandTest {
  private static final String URI = "git+https://github.com/example/hello.git";
  private static final String COMMIT = "ab".repeat(20);

  @TempDir static Path tmp;
  private static BundleForge forge;
  private static Path a;
  private static Path b;
  private static Path c;
  private static Path dissent;
  private static Path dissentAgain;
  private static Path otherDissent;
  private static Path invalid;
  private static Path otherSource;
  private static Path atCommit1;
  private static Path atCommit2;
  private static Path atOtherCommit;
  private static Path claimingCommit;
  private static String goodDigest;
  private static String badDigest;
  private static Path alice;
  private static Path bob;
  private static Path carol;
  private static Path dave;
  private static Path frank;
  private static Path operators;
  private static int copies;

  @BeforeAll
  static void makeBundles() throws Exception {
    forge = BundleForge.create(tmp);
    BundleForge.Parts parts = forge.read(forge.base);
    a = forge.base;
    b = forge.write("b.tar", forge.resign(parts, forge.otherBuilder(), r -> r));
    c = forge.write("c.tar", forge.resign(parts, forge.otherBuilder(), r -> r));
    byte[] hello = parts.artifacts().get("hello");
    byte[] changed = Arrays.copyOf(hello, hello.length + 1);
    dissent =
        forge.write("dissent.tar", forge.withOutput(parts, forge.otherBuilder(), "hello", changed));
    dissentAgain =
        forge.write(
            "dissent-again.tar", forge.withOutput(parts, forge.otherBuilder(), "hello", changed));
    byte[] changedAgain = Arrays.copyOf(hello, hello.length + 2);
    otherDissent =
        forge.write(
            "dissent2.tar", forge.withOutput(parts, forge.otherBuilder(), "hello", changedAgain));
    byte[] tampered = hello.clone();
    tampered[100] ^= 1;
    invalid = forge.write("invalid.tar", parts.withArtifact("hello", tampered));
    otherSource =
        forge.write(
            "other-source.tar",
            forge.resign(
                parts,
                forge.otherBuilder(),
                r ->
                    BundleForge.withSource(
                        r, dev.teec.formats.report.SourceInfo.ofArchive("cd".repeat(32)))));
    atCommit1 =
        forge.write("commit1.tar", forge.resign(parts, forge.otherBuilder(), r -> at(r, COMMIT)));
    atCommit2 =
        forge.write("commit2.tar", forge.resign(parts, forge.otherBuilder(), r -> at(r, COMMIT)));
    atOtherCommit =
        forge.write(
            "commit3.tar", forge.resign(parts, forge.otherBuilder(), r -> at(r, "cd".repeat(20))));
    claimingCommit =
        forge.write(
            "claim.tar",
            forge.resign(
                parts,
                forge.otherBuilder(),
                r -> BundleForge.withSource(r, at(r, COMMIT).source().withCommitVerified(false))));
    goodDigest = BundleForge.sha256(hello);
    badDigest = BundleForge.sha256(changed);
    List<ECKey> pinned = new ArrayList<>();
    alice = key("alice", pinned);
    bob = key("bob", pinned);
    carol = key("carol", pinned);
    frank = key("frank", pinned);
    dave = key("dave", new ArrayList<>());
    operators =
        Files.writeString(
            tmp.resolve("operators.jwks"),
            new JWKSet(
                    pinned.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList())
                .toString());
  }

  /** {@code r} recording {@code commit} of {@link #URI} as verified by the worker. */
  private static ProvenanceReport at(ProvenanceReport r, String commit) {
    return BundleForge.withSource(
        r,
        r.source()
            .withUri(URI)
            .withCommit(commit)
            .withTree("ef".repeat(20))
            .withDirty(false)
            .withCommitVerified(true));
  }

  private static Path key(String kid, List<ECKey> pinned) throws Exception {
    ECKey k = MaintainerKeys.generate(kid);
    pinned.add(k);
    return Files.writeString(tmp.resolve(kid + ".jwk"), k.toJSONString());
  }

  private static CliRun teec(String... args) {
    return CliRun.run(clock -> Teec.newCommandLine(clock, forge.env), Clock.systemUTC(), args);
  }

  private static CliRun vote(String... args) {
    return voteWithout("", args);
  }

  /** {@link #vote} without the option {@code absent} ("" leaves out nothing). */
  private static CliRun voteWithout(String absent, String... args) {
    List<String> all = new ArrayList<>(List.of("challenge", "vote", "--simulated", "--any-image"));
    all.remove(absent);
    all.addAll(List.of(args));
    return teec(all.toArray(String[]::new));
  }

  /** A copy of {@code bundle} signed by {@code key} with teec bundle sign. */
  private static String signed(Path bundle, Path key) throws Exception {
    Path copy = tmp.resolve("signed-" + (++copies) + "-" + bundle.getFileName());
    Files.copy(bundle, copy);
    CliRun sign = teec("bundle", "sign", copy.toString(), "--key", key.toString());
    assertThat(sign.exitCode()).as(sign.toString()).isZero();
    return copy.toString();
  }

  private static CliRun voteByKeys(String... args) {
    List<String> all = new ArrayList<>(List.of("--builders", operators.toString()));
    all.addAll(List.of(args));
    return vote(all.toArray(String[]::new));
  }

  private static JsonNode json(CliRun run) throws Exception {
    return new ObjectMapper().readTree(run.out());
  }

  private static String excludedReason(JsonNode r, String input) {
    for (JsonNode e : r.get("excluded")) {
      if (e.get("input").asText().equals(input)) {
        return e.get("reason").asText();
      }
    }
    throw new AssertionError(input + " is not excluded: " + r);
  }

  @Test
  void vote_simulatedBundlesWithoutBuilders_areOneBuilder() throws Exception {
    CliRun run = vote("--json", a.toString(), b.toString(), c.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("unanimous");
    assertThat(r.get("votes").asInt()).isEqualTo(1);
    assertThat(r.get("independence").toString()).isEqualTo("{\"simulated-root\":1}");
    JsonNode voter = r.get("voters").get(0);
    assertThat(voter.get("basis").asText()).isEqualTo("simulated-root");
    assertThat(voter.get("builder").asText()).startsWith("simulated root ");
    assertThat(voter.get("bundles")).hasSize(3);
    assertThat(voter.get("bundles").get(0).get("moduleId").asText()).startsWith("sim-i-");
    assertThat(vote("--quorum", "2", a.toString(), b.toString(), c.toString()).out())
        .startsWith("QUORUM NOT MET  1 independent builder (3 of 3 bundles), the quorum is 2")
        .contains("3 bundles, one vote")
        .contains("independence: 1 by simulated root")
        .contains("they prove nothing about independent hardware");
  }

  @Test
  void vote_oneHonestAndTwoTrojansFromOneMachine_isNeverUnanimousForTheTrojan() throws Exception {
    // Issue 10.3: these used to be three module ids, hence three votes and UNANIMOUS.
    CliRun run = vote("--json", dissent.toString(), dissentAgain.toString(), a.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("no-valid-votes");
    assertThat(excludedReason(r, dissent.toString()))
        .contains("made bundles that disagree with each other on hello")
        .contains("does not vote");
    // One honest operator and a second one with two trojans: the trojan counts once.
    CliRun keys =
        voteByKeys("--json", signed(a, alice), signed(dissent, bob), signed(dissentAgain, bob));
    assertThat(keys.exitCode()).isEqualTo(1);
    JsonNode k = json(keys);
    assertThat(k.get("outcome").asText()).isEqualTo("tie");
    assertThat(k.get("votes").asInt()).isEqualTo(2);
    assertThat(k.get("voters").get(1).get("builder").asText()).isEqualTo("operator key bob");
    assertThat(k.get("voters").get(1).get("bundles")).hasSize(2);
    assertThat(k.get("artifacts").get(0).get("digests").get(0).get("count").asInt()).isEqualTo(1);
  }

  @Test
  void vote_threePinnedOperatorsAgree_isUnanimousByOperatorKey() throws Exception {
    CliRun run = voteByKeys("--json", signed(a, alice), signed(b, bob), signed(c, carol));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("unanimous");
    assertThat(r.get("votes").asInt()).isEqualTo(3);
    assertThat(r.get("independence").toString()).isEqualTo("{\"operator-key\":3}");
    JsonNode hello = r.get("artifacts").get(0);
    assertThat(hello.get("majority").asText()).isEqualTo(goodDigest);
    assertThat(hello.get("digests").get(0).get("voters").toString())
        .isEqualTo("[\"operator key alice\",\"operator key bob\",\"operator key carol\"]");
    assertThat(r.get("voters").get(0).get("bundles").get(0).get("operatorKey").asText())
        .isEqualTo("alice");
    assertThat(r.get("source").get("archiveSha256").asText()).hasSize(64);
    assertThat(r.get("source").get("commit").isNull()).isTrue();
  }

  @Test
  void vote_twoOfThreeOperatorsWithOneDissenter_isAMajorityNamingTheDissenter() throws Exception {
    String d = signed(dissent, bob);
    CliRun run = voteByKeys("--json", signed(a, alice), d, signed(b, carol));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("majority");
    JsonNode hello = r.get("artifacts").get(0);
    assertThat(hello.get("majority").asText()).isEqualTo(goodDigest);
    assertThat(hello.get("digests").get(1).get("sha256").asText()).isEqualTo(badDigest);
    JsonNode dissenter = hello.get("dissenters").get(0);
    assertThat(dissenter.get("builder").asText()).isEqualTo("operator key bob");
    assertThat(dissenter.get("bundles").get(0).asText()).isEqualTo(d);
    assertThat(dissenter.get("sha256").asText()).isEqualTo(badDigest);
    assertThat(r.get("sets")).hasSize(2);

    CliRun human = voteByKeys(signed(a, alice), signed(dissent, bob), signed(b, carol));
    assertThat(human.out())
        .startsWith(
            "MAJORITY  a strict majority of the 3 independent builders agrees on every artifact;"
                + " some dissent (3 of 3 bundles)")
        .contains("  source: no repository URI, no commit recorded, source archive SHA-256 ")
        .contains("independence: 3 by operator key (one pinned operator key, one vote;")
        .contains(
            "SIMULATED: the bundles of 3 of the 3 builders are attested by the local simulated NSM")
        .contains(
            "their operator keys tell operators apart, but nothing shows independent hardware")
        .contains("hello: majority " + goodDigest + " (2 of 3)")
        .contains("dissent: operator key bob (")
        .contains(") has " + badDigest);
  }

  @Test
  void vote_oneOneTieAndThreeWaySplit_areNotAnAgreement() throws Exception {
    CliRun tie = voteByKeys("--json", signed(a, alice), signed(dissent, bob));
    assertThat(tie.exitCode()).isEqualTo(1);
    JsonNode r = json(tie);
    assertThat(r.get("outcome").asText()).isEqualTo("tie");
    assertThat(r.get("agreed").asBoolean()).isFalse();
    assertThat(r.get("artifacts").get(0).get("majority").isNull()).isTrue();
    CliRun human = voteByKeys(signed(a, alice), signed(dissent, bob));
    assertThat(human.out()).startsWith("TIE  no strict majority among the 2 independent builders");
    assertThat(NextStepsTest.lastLine(human))
        .startsWith("Next: no build has a majority: do not trust one yet");
    // 2 of 4 is not a strict majority, and 2 > 1 is not a tie.
    CliRun split =
        voteByKeys(
            "--json",
            signed(a, alice),
            signed(dissent, bob),
            signed(otherDissent, carol),
            signed(b, frank));
    assertThat(split.exitCode()).isEqualTo(1);
    assertThat(json(split).get("outcome").asText()).isEqualTo("no-majority");
  }

  @Test
  void vote_invalidBundle_doesNotVoteAndIsListedWithItsReason() throws Exception {
    // Verification comes first: the tampered bundle never reaches the signature check.
    String bad = invalid.toString();
    CliRun run = voteByKeys("--json", signed(a, alice), bad, signed(b, bob));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("votes").asInt()).isEqualTo(2);
    assertThat(r.get("bundles").asInt()).isEqualTo(3);
    JsonNode e = r.get("excluded").get(0);
    assertThat(e.get("input").asText()).isEqualTo(bad);
    assertThat(e.get("failures").toString()).contains("bundle.artifact:hello");
    assertThat(e.get("reason").asText()).startsWith("does not verify: bundle.artifact:hello");
  }

  @Test
  void vote_forgedOperatorSignature_doesNotCount() throws Exception {
    String forged = signed(b, bob);
    Path sig = Path.of(forged + ".jws");
    String jws = Files.readString(sig).strip();
    char last = jws.charAt(jws.length() - 2);
    Files.writeString(
        sig,
        jws.substring(0, jws.length() - 2)
            + (last == 'A' ? 'B' : 'A')
            + jws.charAt(jws.length() - 1));
    JsonNode r = json(voteByKeys("--json", signed(a, alice), forged));
    assertThat(r.get("votes").asInt()).isEqualTo(1);
    assertThat(excludedReason(r, forged))
        .contains("does not verify with the pinned key 'bob' (forged, altered");
  }

  @Test
  void vote_signatureByAnUnpinnedKeyOrNone_doesNotCount() throws Exception {
    String byDave = signed(b, dave);
    String unsigned = tmp.resolve("unsigned.tar").toString();
    Files.copy(c, Path.of(unsigned));
    CliRun run = voteByKeys("--json", signed(a, alice), byDave, unsigned);
    JsonNode r = json(run);
    assertThat(r.get("votes").asInt()).isEqualTo(1);
    assertThat(excludedReason(r, byDave))
        .isEqualTo("signed with key 'dave', which is not a pinned operator key");
    assertThat(excludedReason(r, unsigned))
        .isEqualTo("no operator signature (" + unsigned + ".jws)");
  }

  @Test
  void vote_unreadableSignatureFile_isAUsageError() throws Exception {
    Path copy = tmp.resolve("unreadable.tar");
    Files.copy(a, copy);
    Files.createDirectory(Path.of(copy + ".jws"));
    CliRun run = voteByKeys(copy.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(copy + ".jws: ");
  }

  @Test
  void vote_rootGivenWithRoot_isOneBuilderWhateverItsModuleIds() throws Exception {
    Path root =
        Files.writeString(
            tmp.resolve("root.pem"),
            "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder()
                    .encodeToString(forge.otherBuilder().rootCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    CliRun run =
        teec(
            "challenge",
            "vote",
            "--json",
            "--any-image",
            "--root",
            root.toString(),
            a.toString(),
            b.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("votes").asInt()).isEqualTo(1);
    assertThat(r.get("independence").toString()).isEqualTo("{\"attestation-root\":1}");
  }

  @Test
  void vote_oneKeySigningDisagreeingBundles_thatOperatorDoesNotVote() throws Exception {
    String honest = signed(a, alice);
    String trojan = signed(dissent, alice);
    CliRun run = voteByKeys(honest, trojan, signed(b, bob));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .startsWith(
            "UNANIMOUS  1 independent builder voted; no other builder confirms it (1 of 3 bundles)")
        .contains(
            "  excluded\n    "
                + honest
                + ": operator key alice made bundles that disagree with each other on hello ("
                + honest
                + ", "
                + trojan
                + "); a builder that disagrees with itself does not vote");
  }

  @Test
  void vote_pinnedSetListingOneKeyTwice_isAUsageError() throws Exception {
    ECKey k = MaintainerKeys.generate("erin");
    ECKey again = new ECKey.Builder(k.toPublicJWK()).keyID("erin-again").build();
    Path twice =
        Files.writeString(
            tmp.resolve("twice.jwks"), new JWKSet(List.of(k.toPublicJWK(), again)).toString());
    CliRun run = vote("--builders", twice.toString(), a.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--builders " + twice + ": $.keys[1]")
        .contains("the same key as 'erin'");
    assertThat(vote("--builders", tmp.resolve("none.jwks").toString(), a.toString()).err())
        .contains("none.jwks: no such file");
  }

  @Test
  void vote_bundlesOfDifferentSources_refusesListingThem() throws Exception {
    CliRun run = vote("--json", a.toString(), otherSource.toString(), b.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("sources-differ");
    assertThat(r.get("votes").asInt()).isZero();
    assertThat(r.get("source").isNull()).isTrue();
    assertThat(r.get("sources")).hasSize(2);
    assertThat(r.get("sources").get(1).get("archiveSha256").asText()).isEqualTo("cd".repeat(32));
    assertThat(r.get("sources").get(1).get("bundles").get(0).asText())
        .isEqualTo(otherSource.toString());
    assertThat(vote(a.toString(), otherSource.toString()).out())
        .startsWith("SOURCES DIFFER  the counted bundles name 2 sources")
        .contains(
            "  source 2: no repository URI, no commit recorded, source archive SHA-256 "
                + "cd".repeat(32))
        .contains("      " + otherSource);
  }

  @Test
  void vote_expectSource_excludesOtherCommitsAndNamesTheWinner() throws Exception {
    String expected = URI + "@" + COMMIT;
    String other = signed(atOtherCommit, carol);
    CliRun run =
        voteByKeys(
            "--json",
            "--expect-source",
            expected,
            signed(atCommit1, alice),
            other,
            signed(atCommit2, bob));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("unanimous");
    assertThat(r.get("votes").asInt()).isEqualTo(2);
    assertThat(r.get("expectedSource").asText()).isEqualTo(expected);
    assertThat(r.get("source").get("commit").asText()).isEqualTo(COMMIT);
    assertThat(r.get("source").get("uris").toString()).isEqualTo("[\"" + URI + "\"]");
    assertThat(excludedReason(r, other))
        .isEqualTo(
            "does not verify: bundle.expect.source: the report records commit "
                + "cd".repeat(20)
                + ", expected "
                + COMMIT);
    assertThat(r.get("source").get("commitVerified").asBoolean()).isTrue();
    assertThat(vote("--expect-source", expected, atCommit1.toString(), atCommit2.toString()).out())
        .contains(
            "  source: "
                + URI
                + "@"
                + COMMIT
                + " (tree "
                + "ef".repeat(20)
                + "), commit verified by the worker, source archive SHA-256 ")
        .contains("(as --expect-source requires)");
  }

  @Test
  void vote_unverifiedCommitClaim_isNeverCalledVerifiedNorMeetsExpectSource() throws Exception {
    // Issue 10.1 through the vote: a client's word about its commit is shown as such.
    CliRun run = vote("--json", atCommit1.toString(), claimingCommit.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("source").get("commit").asText()).isEqualTo(COMMIT);
    assertThat(r.get("source").get("commitVerified").asBoolean()).isFalse();
    assertThat(vote(claimingCommit.toString()).out())
        .contains("@" + COMMIT + " (tree " + "ef".repeat(20) + "), UNVERIFIED commit claim");
    CliRun expected =
        vote("--json", "--expect-source", URI + "@" + COMMIT, claimingCommit.toString());
    assertThat(expected.exitCode()).isEqualTo(1);
    assertThat(excludedReason(json(expected), claimingCommit.toString()))
        .startsWith("does not verify: bundle.expect.source: the commit is the client's unverified");
  }

  @Test
  void vote_expectSourceMatchingNothing_hasNoVotes_andMalformedIsAUsageError() throws Exception {
    CliRun run =
        vote(
            "--json",
            "--expect-source",
            URI + "@" + "12".repeat(20),
            atCommit1.toString(),
            a.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("no-valid-votes");
    assertThat(r.get("excluded").get(0).get("failures").toString())
        .contains("bundle.expect.source");
    CliRun malformed = vote("--expect-source", URI + "@main", a.toString());
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err())
        .contains("--expect-source: expected URI@COMMIT or URI@COMMIT:DIR with a 40- or 64-digit");
  }

  @Test
  void vote_noValidVotesAndNoSimulatedTrust_fail() throws Exception {
    CliRun run = vote("--json", invalid.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(json(run).get("outcome").asText()).isEqualTo("no-valid-votes");
    CliRun untrusted = teec("challenge", "vote", "--json", a.toString(), b.toString());
    assertThat(untrusted.exitCode()).isEqualTo(1);
    assertThat(json(untrusted).get("excluded").get(0).get("failures").toString())
        .contains("bundle.attestation");
  }

  @Test
  void vote_usageErrors_exit2() throws Exception {
    assertThat(vote("--quorum", "0", a.toString()).exitCode()).isEqualTo(2);
    CliRun missing = vote(tmp.resolve("nope.tar").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.tar: no such file").contains("teec challenge vote");
    assertThat(Files.exists(tmp.resolve("nope.tar"))).isFalse();
  }

  @Test
  void bundleSign_writesADetachedSignatureAndNeverOverwritesIt() throws Exception {
    Path copy = tmp.resolve("to-sign.tar");
    Files.copy(b, copy);
    byte[] before = Files.readAllBytes(copy);
    CliRun sign = teec("bundle", "sign", copy.toString(), "--key", alice.toString());
    assertThat(sign.exitCode()).as(sign.toString()).isZero();
    Path sig = tmp.resolve("to-sign.tar.jws");
    assertThat(sign.out())
        .startsWith("signed " + copy + " (report SHA-384 ")
        .contains("with operator key 'alice'; wrote " + sig);
    assertThat(Files.readAllBytes(copy)).isEqualTo(before);
    assertThat(Files.readString(sig)).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\n");
    String first = Files.readString(sig);
    CliRun again = teec("bundle", "sign", copy.toString(), "--key", bob.toString());
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains(sig + " exists");
    assertThat(Files.readString(sig)).isEqualTo(first);
    Path out = tmp.resolve("elsewhere.jws");
    assertThat(
            teec(
                    "bundle",
                    "sign",
                    copy.toString(),
                    "--key",
                    bob.toString(),
                    "--out",
                    out.toString())
                .exitCode())
        .isZero();
    assertThat(Files.exists(out)).isTrue();
  }

  @Test
  void bundleSign_badInputs_areRefusedAndWriteNothing() throws Exception {
    Path notABundle = Files.writeString(tmp.resolve("not-a-bundle.tar"), "hello");
    CliRun run = teec("bundle", "sign", notABundle.toString(), "--key", alice.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(notABundle + " is not a valid bundle");
    assertThat(Files.exists(Path.of(notABundle + ".jws"))).isFalse();
    CliRun inconsistent = teec("bundle", "sign", invalid.toString(), "--key", alice.toString());
    assertThat(inconsistent.exitCode()).isEqualTo(1);
    assertThat(inconsistent.err()).contains(invalid + " is not a valid bundle");
    assertThat(Files.exists(Path.of(invalid + ".jws"))).isFalse();
    Path copy = tmp.resolve("bad-key.tar");
    Files.copy(a, copy);
    CliRun publicKey = teec("bundle", "sign", copy.toString(), "--key", operators.toString());
    assertThat(publicKey.exitCode()).isEqualTo(2);
    assertThat(publicKey.err()).contains("--key " + operators);
    assertThat(Files.exists(Path.of(copy + ".jws"))).isFalse();
    CliRun missing =
        teec("bundle", "sign", tmp.resolve("nope.tar").toString(), "--key", alice.toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(teec("bundle").exitCode()).isEqualTo(2);
  }

  /** Issue 10: bundles whose image nothing identifies do not vote unless --any-image says so. */
  @Test
  void vote_imagesNotIdentified_noBundleVotesWithoutAnyImage() {
    CliRun run = teec("challenge", "vote", "--simulated", a.toString(), b.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).contains("NO VALID VOTES").contains("bundle.image");
    CliRun any =
        teec("challenge", "vote", "--simulated", "--any-image", a.toString(), b.toString());
    assertThat(any.out()).contains("ANY IMAGE: the voters' enclave images were not identified");
  }
}
