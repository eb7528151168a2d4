package dev.teec.verifier.vote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.verifier.bundle.BundleForge;
import dev.teec.verifier.bundle.BundleVerifier;
import dev.teec.verifier.bundle.VerifiedBundle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vote as a library: verified bundles in, one builder one vote, a strict majority per artifact.
 */
class VoteTest {
  @TempDir static Path tmp;
  private static VerifiedBundle a;
  private static VerifiedBundle b;
  private static VerifiedBundle dissent;
  private static String good;
  private static String bad;

  @BeforeAll
  static void bundles() throws Exception {
    BundleForge forge = BundleForge.create(tmp);
    BundleForge.Parts parts = forge.read(forge.base);
    byte[] hello = parts.artifacts().get("hello");
    byte[] changed = Arrays.copyOf(hello, hello.length + 1);
    BundleVerifier verifier =
        BundleVerifier.builder().simulatedRoot(forge.otherBuilder().rootCertificate()).build();
    a = verifier.verify(forge.base).requireVerified();
    b =
        verifier
            .verify(forge.write("b.tar", forge.resign(parts, forge.otherBuilder(), r -> r)))
            .requireVerified();
    dissent =
        verifier
            .verify(
                forge.write(
                    "d.tar", forge.withOutput(parts, forge.otherBuilder(), "hello", changed)))
            .requireVerified();
    good = BundleForge.sha256(hello);
    bad = BundleForge.sha256(changed);
  }

  @Test
  void count_twoBuildersAgree_unanimous() {
    VoteResult v = Vote.count(List.of(a, b), 2);
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.UNANIMOUS);
    assertThat(v.artifacts().get(0).majority()).isEqualTo(good);
  }

  @Test
  void count_oneDissenter_majorityNamesIt() {
    VoteResult v = Vote.count(List.of(a, dissent, b), 1);
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.MAJORITY);
    assertThat(v.artifacts().get(0).dissenters())
        .singleElement()
        .satisfies(d -> assertThat(d.sha256()).isEqualTo(bad));
  }

  @Test
  void count_sameBundleTwice_oneBuilderOneVote() {
    VoteResult v = Vote.count(List.of(dissent, dissent, a), 1);
    assertThat(v.votes()).isEqualTo(2);
    assertThat(v.excluded())
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).contains("same builder"));
    assertThat(v.outcome()).isEqualTo(VoteResult.Outcome.TIE);
  }

  @Test
  void count_nothingVerified_noValidVotes() {
    assertThat(Vote.count(List.of(), 1).outcome()).isEqualTo(VoteResult.Outcome.NO_VALID_VOTES);
    assertThatThrownBy(() -> Vote.count(List.of(a), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
