package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * teec challenge vote over bundles from "independent builders": the worker's own bundle and
 * re-signed variants from other simulated NSM sessions (other module ids), some with another
 * output.
 */
class ChallengeVoteCommandTest {
  @TempDir static Path tmp;
  private static BundleForge forge;
  private static Path a;
  private static Path b;
  private static Path c;
  private static Path dissent;
  private static Path otherDissent;
  private static Path invalid;
  private static Path otherSource;
  private static String goodDigest;
  private static String badDigest;

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
    goodDigest = BundleForge.sha256(hello);
    badDigest = BundleForge.sha256(changed);
  }

  private static CliRun vote(String... args) {
    List<String> all = new ArrayList<>(List.of("challenge", "vote", "--simulated"));
    all.addAll(List.of(args));
    return CliRun.run(
        clock -> Teec.newCommandLine(clock, forge.env),
        Clock.systemUTC(),
        all.toArray(String[]::new));
  }

  private static JsonNode json(CliRun run) throws Exception {
    return new ObjectMapper().readTree(run.out());
  }

  @Test
  void vote_threeAgreeing_isUnanimous() throws Exception {
    CliRun run = vote("--json", a.toString(), b.toString(), c.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("unanimous");
    assertThat(r.get("votes").asInt()).isEqualTo(3);
    JsonNode hello = r.get("artifacts").get(0);
    assertThat(hello.get("name").asText()).isEqualTo("hello");
    assertThat(hello.get("majority").asText()).isEqualTo(goodDigest);
    assertThat(hello.get("digests").get(0).get("count").asInt()).isEqualTo(3);
    assertThat(hello.get("dissenters")).isEmpty();
    List<String> modules = new ArrayList<>();
    r.get("voters").forEach(v -> modules.add(v.get("moduleId").asText()));
    assertThat(modules).doesNotHaveDuplicates().hasSize(3);
  }

  @Test
  void vote_twoOfThreeWithOneDissenter_isAMajorityNamingTheDissenter() throws Exception {
    CliRun run = vote("--json", a.toString(), dissent.toString(), b.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("majority");
    JsonNode hello = r.get("artifacts").get(0);
    assertThat(hello.get("majority").asText()).isEqualTo(goodDigest);
    assertThat(hello.get("digests").get(0).get("count").asInt()).isEqualTo(2);
    assertThat(hello.get("digests").get(1).get("sha256").asText()).isEqualTo(badDigest);
    assertThat(hello.get("digests").get(1).get("count").asInt()).isEqualTo(1);
    assertThat(hello.get("dissenters")).hasSize(1);
    JsonNode d = hello.get("dissenters").get(0);
    assertThat(d.get("input").asText()).isEqualTo(dissent.toString());
    assertThat(d.get("moduleId").asText()).startsWith("sim-i-");
    assertThat(d.get("sha256").asText()).isEqualTo(badDigest);
    assertThat(r.get("sets")).hasSize(2);
    assertThat(r.get("sets").get(0).get("count").asInt()).isEqualTo(2);
  }

  @Test
  void vote_humanReport_namesMajorityAndDissent() {
    CliRun run = vote(a.toString(), dissent.toString(), b.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .startsWith("MAJORITY  a strict majority of the 3 valid votes of 3 bundles")
        .contains("SIMULATED: 3 of the votes are attested by the local simulated NSM")
        .contains("hello: majority " + goodDigest + " (2 of 3)")
        .contains("dissent: " + dissent + " (module sim-i-")
        .contains(") has " + badDigest);
  }

  @Test
  void vote_oneOneTie_isNotAnAgreement() throws Exception {
    CliRun run = vote("--json", a.toString(), dissent.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("tie");
    assertThat(r.get("agreed").asBoolean()).isFalse();
    assertThat(r.get("artifacts").get(0).get("majority").isNull()).isTrue();
    assertThat(r.get("artifacts").get(0).get("tie").asBoolean()).isTrue();
    assertThat(vote(a.toString(), dissent.toString()).out())
        .startsWith("TIE  no strict majority among the 2 valid votes");
  }

  @Test
  void vote_threeWaySplit_hasNoMajority() throws Exception {
    CliRun run =
        vote("--json", a.toString(), dissent.toString(), otherDissent.toString(), b.toString());
    // 2 of 4 is not a strict majority, and 2 > 1 is not a tie.
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(json(run).get("outcome").asText()).isEqualTo("no-majority");
  }

  @Test
  void vote_invalidBundle_doesNotVoteAndIsListedWithItsReason() throws Exception {
    CliRun run = vote("--json", a.toString(), invalid.toString(), b.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("outcome").asText()).isEqualTo("unanimous");
    assertThat(r.get("votes").asInt()).isEqualTo(2);
    assertThat(r.get("bundles").asInt()).isEqualTo(3);
    JsonNode e = r.get("excluded").get(0);
    assertThat(e.get("input").asText()).isEqualTo(invalid.toString());
    assertThat(e.get("failures").toString()).contains("bundle.artifact:hello");
    assertThat(e.get("reason").asText()).startsWith("does not verify: bundle.artifact:hello");
  }

  @Test
  void vote_sameBuilderTwice_votesOnce() throws Exception {
    CliRun run = vote("--json", a.toString(), b.toString(), b.toString(), dissent.toString());
    JsonNode r = json(run);
    assertThat(r.get("votes").asInt()).isEqualTo(3);
    assertThat(r.get("excluded").get(0).get("reason").asText()).contains("same builder as " + b);
  }

  @Test
  void vote_bundleOfAnotherSource_doesNotVote() throws Exception {
    CliRun run = vote("--json", a.toString(), otherSource.toString(), b.toString());
    JsonNode r = json(run);
    assertThat(r.get("votes").asInt()).isEqualTo(2);
    assertThat(r.get("excluded").get(0).get("input").asText()).isEqualTo(otherSource.toString());
    assertThat(r.get("excluded").get(0).get("reason").asText())
        .contains("different source archive");
  }

  @Test
  void vote_quorumNotMet_fails() throws Exception {
    CliRun run = vote("--json", "--quorum", "3", a.toString(), b.toString(), invalid.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(json(run).get("outcome").asText()).isEqualTo("quorum-not-met");
    assertThat(vote("--quorum", "3", a.toString(), b.toString()).out())
        .startsWith("QUORUM NOT MET  2 valid votes of 2 bundles, the quorum is 3");
  }

  @Test
  void vote_noValidVotes_fails() throws Exception {
    CliRun run = vote("--json", invalid.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(json(run).get("outcome").asText()).isEqualTo("no-valid-votes");
  }

  @Test
  void vote_withoutSimulatedTrust_nobodyVotes() throws Exception {
    CliRun run =
        CliRun.run(
            clock -> Teec.newCommandLine(clock, forge.env),
            Clock.systemUTC(),
            "challenge",
            "vote",
            "--json",
            a.toString(),
            b.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(json(run).get("excluded").get(0).get("failures").toString())
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
}
