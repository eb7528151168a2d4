package dev.teec.verifier.vote;

import dev.teec.verifier.bundle.BuilderIdentity;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * The count of one vote (spec C3): who voted, who was excluded and why, and per artifact which
 * digests got how many votes, as {@link Vote#count} computes it.
 *
 * @param outcome the verdict
 * @param quorum the least number of valid votes required
 * @param voters the bundles that voted, in the order given
 * @param excluded the verified bundles that did not vote, in the order given
 * @param artifacts one tally per artifact name any voter has, in name order
 * @param sets the voters grouped by their whole artifact set, largest group first
 */
public record VoteResult(
    Outcome outcome,
    int quorum,
    List<Voter> voters,
    List<Excluded> excluded,
    List<ArtifactTally> artifacts,
    List<SetTally> sets) {

  /** The verdict of a vote. */
  public enum Outcome {
    /** Every valid vote has the same digest for every artifact. */
    UNANIMOUS,
    /**
     * Every artifact has a digest with a strict majority of the valid votes; some voters dissent.
     */
    MAJORITY,
    /** Some artifact has no strict majority, and its leading digests have equal counts. */
    TIE,
    /** Some artifact has no strict majority (and is not simply a tie). */
    NO_MAJORITY,
    /** Fewer valid votes than the quorum. */
    QUORUM_NOT_MET,
    /** No bundle could vote. */
    NO_VALID_VOTES;

    /**
     * True for the outcomes that establish the artifacts: {@link #UNANIMOUS} and {@link #MAJORITY}.
     */
    public boolean agreed() {
      return this == UNANIMOUS || this == MAJORITY;
    }
  }

  /**
   * A bundle that voted.
   *
   * @param input the bundle path as given
   * @param builder the attested builder identity
   * @param simulated attested under the local simulated root
   * @param artifacts artifact name to SHA-256
   */
  public record Voter(
      String input,
      BuilderIdentity builder,
      boolean simulated,
      SortedMap<String, String> artifacts) {}

  /**
   * A verified bundle that did not vote.
   *
   * @param input the bundle path as given
   * @param reason one sentence saying why: another build, or a builder that already voted
   */
  public record Excluded(String input, String reason) {}

  /**
   * The votes for one artifact.
   *
   * @param name the artifact's name
   * @param majority the digest with a strict majority, or null
   * @param tie true when no digest has a majority and the leading ones have equal counts
   * @param digests every digest voted for, most votes first; a null digest means "no such artifact"
   * @param dissenters the voters whose digest is not the majority's (all voters when there is none)
   */
  public record ArtifactTally(
      String name,
      String majority,
      boolean tie,
      List<DigestCount> digests,
      List<Dissenter> dissenters) {}

  /**
   * One digest's votes.
   *
   * @param sha256 the digest, or null for voters without the artifact
   * @param count how many voters
   * @param voters their inputs
   */
  public record DigestCount(String sha256, int count, List<String> voters) {}

  /**
   * A voter that did not vote with the majority on one artifact.
   *
   * @param input the bundle
   * @param builder its builder
   * @param sha256 its digest, or null when it has no such artifact
   */
  public record Dissenter(String input, BuilderIdentity builder, String sha256) {}

  /**
   * Voters whose whole artifact sets are equal.
   *
   * @param artifacts artifact name to SHA-256
   * @param count how many voters
   * @param voters their inputs
   */
  public record SetTally(SortedMap<String, String> artifacts, int count, List<String> voters) {}

  /** Copies the lists. */
  public VoteResult {
    Objects.requireNonNull(outcome, "outcome");
    voters = List.copyOf(voters);
    excluded = List.copyOf(excluded);
    artifacts = List.copyOf(artifacts);
    sets = List.copyOf(sets);
  }

  /** The number of valid votes. */
  public int votes() {
    return voters.size();
  }
}
