package dev.teec.verifier.vote;

import dev.teec.verifier.bundle.BuilderIdentity;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The count of one vote (spec C3), as {@link Vote#count} computes it: the source the bundles were
 * built from, the independent builders that voted and the bundles each contributed, the bundles
 * that did not count and why, and per artifact which digests got how many builders' votes.
 *
 * @param outcome the verdict
 * @param quorum the least number of independent builders required
 * @param sources every source the counted bundles name, first seen first; more than one is {@link
 *     Outcome#SOURCES_DIFFER}
 * @param voters the independent builders that voted, in the order of their first bundle
 * @param excluded the ballots that did not count, in the order given
 * @param artifacts one tally per artifact name any voter has, in name order
 * @param sets the voters grouped by their whole artifact set, largest group first
 */
public record VoteResult(
    Outcome outcome,
    int quorum,
    List<SourceGroup> sources,
    List<Voter> voters,
    List<Excluded> excluded,
    List<ArtifactTally> artifacts,
    List<SetTally> sets) {

  /** The verdict of a vote. */
  public enum Outcome {
    /** Every voting builder has the same digest for every artifact. */
    UNANIMOUS,
    /** Every artifact has a digest with a strict majority of the voting builders; some dissent. */
    MAJORITY,
    /** Some artifact has no strict majority, and its leading digests have equal counts. */
    TIE,
    /** Some artifact has no strict majority (and is not simply a tie). */
    NO_MAJORITY,
    /** Fewer independent builders voted than the quorum. */
    QUORUM_NOT_MET,
    /**
     * The counted bundles name more than one source (commit, tree, source archive or build.json):
     * builds of different sources are not votes on one question, so nobody votes.
     */
    SOURCES_DIFFER,
    /** No builder could vote. */
    NO_VALID_VOTES;

    /**
     * True for the outcomes that establish the artifacts: {@link #UNANIMOUS} and {@link #MAJORITY}.
     */
    public boolean agreed() {
      return this == UNANIMOUS || this == MAJORITY;
    }
  }

  /**
   * One source: what the counted bundles' verified reports record. Bundles are of one source when
   * commit, tree, directory, source archive SHA-256 and build.json SHA-256 are all equal.
   *
   * @param commit the git commit, or null when none is recorded
   * @param tree the git tree, or null when none is recorded
   * @param path the directory of the commit that was built, or null for the repository's top
   * @param commitVerified true when a commit is recorded and the worker of every bundle of this
   *     source verified it against the archive it built; otherwise the commit is a client's claim
   * @param archiveSha256 SHA-256 of the source archive the enclave received
   * @param buildJsonSha256 SHA-256 of the RFC 8785 form of the report's {@code buildJson}
   * @param uris the repository URIs the bundles record, first seen first (not part of the identity:
   *     one repository has several URLs)
   * @param bundles the bundles of this source, in the order given
   */
  public record SourceGroup(
      String commit,
      String tree,
      String path,
      boolean commitVerified,
      String archiveSha256,
      String buildJsonSha256,
      List<String> uris,
      List<String> bundles) {
    /** Copies the lists. */
    public SourceGroup {
      Objects.requireNonNull(archiveSha256, "archiveSha256");
      Objects.requireNonNull(buildJsonSha256, "buildJsonSha256");
      if (commitVerified && commit == null) {
        throw new IllegalArgumentException("a verified source needs a commit");
      }
      uris = List.copyOf(uris);
      bundles = List.copyOf(bundles);
    }

    /**
     * {@code git+https://host/repo@COMMIT, directory D (tree T), commit verified by the worker,
     * source archive SHA-256 A, build.json SHA-256 B}, for one-line reports.
     */
    public String describe() {
      String where = uris.isEmpty() ? "no repository URI" : String.join(" or ", uris);
      return (commit == null ? where + ", no commit recorded" : where + "@" + commit)
          + (path == null ? "" : ", directory " + path)
          + (tree == null ? "" : " (tree " + tree + ")")
          + (commit == null
              ? ""
              : commitVerified
                  ? ", commit verified by the worker"
                  : ", UNVERIFIED commit claim (the client's word)")
          + ", source archive SHA-256 "
          + archiveSha256
          + ", build.json SHA-256 "
          + buildJsonSha256;
    }
  }

  /**
   * One independent builder that voted.
   *
   * @param name how reports name it: {@code parent instance i-...}, {@code operator key alice}
   * @param identities every identity its bundles share, the basis of the count first (operator
   *     keys, then parent instances, then roots); two identities mean bundles were joined because
   *     they shared one (two pinned keys that signed bundles of one parent instance are one
   *     builder)
   * @param simulated some of its bundles are attested by the local simulated NSM
   * @param bundles its bundles, in the order given; all have the same artifacts, and it votes once
   * @param artifacts artifact name to SHA-256
   */
  public record Voter(
      String name,
      List<BuilderId> identities,
      boolean simulated,
      List<CountedBundle> bundles,
      SortedMap<String, String> artifacts) {
    /** Copies the collections. */
    public Voter {
      Objects.requireNonNull(name, "name");
      identities = List.copyOf(identities);
      bundles = List.copyOf(bundles);
      artifacts = new TreeMap<>(artifacts);
    }

    /** How this builder was told apart from the others: its first identity's basis. */
    public Independence basis() {
      return identities.get(0).basis();
    }

    /** The bundle paths as given. */
    public List<String> inputs() {
      return bundles.stream().map(CountedBundle::input).toList();
    }
  }

  /**
   * A bundle a voter contributed.
   *
   * @param input the bundle path as given
   * @param attested its attested builder: module id, PCR0 and registry image id
   * @param simulated attested under the local simulated NSM's root
   * @param operatorKey the pinned key that signed it, or null without {@code --builders}
   */
  public record CountedBundle(
      String input, BuilderIdentity attested, boolean simulated, String operatorKey) {}

  /**
   * A verified bundle that did not count.
   *
   * @param input the bundle path as given
   * @param builder the builder it belongs to when that is known (a builder whose bundles disagree
   *     with each other), or null
   * @param reason one sentence saying why
   */
  public record Excluded(String input, String builder, String reason) {}

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
   * @param count how many builders
   * @param voters their names
   */
  public record DigestCount(String sha256, int count, List<String> voters) {}

  /**
   * A builder that did not vote with the majority on one artifact.
   *
   * @param voter its name
   * @param inputs its bundles
   * @param sha256 its digest, or null when it has no such artifact
   */
  public record Dissenter(String voter, List<String> inputs, String sha256) {}

  /**
   * Builders whose whole artifact sets are equal.
   *
   * @param artifacts artifact name to SHA-256
   * @param count how many builders
   * @param voters their names
   */
  public record SetTally(SortedMap<String, String> artifacts, int count, List<String> voters) {}

  /** Copies the lists. */
  public VoteResult {
    Objects.requireNonNull(outcome, "outcome");
    sources = List.copyOf(sources);
    voters = List.copyOf(voters);
    excluded = List.copyOf(excluded);
    artifacts = List.copyOf(artifacts);
    sets = List.copyOf(sets);
  }

  /** The number of independent builders that voted. */
  public int votes() {
    return voters.size();
  }

  /** The source every voter built, or null when nobody voted. */
  public SourceGroup source() {
    return voters.isEmpty() ? null : sources.get(0);
  }

  /** How many voters were told apart on each basis, in basis order. */
  public Map<Independence, Integer> independence() {
    Map<Independence, Integer> out = new java.util.EnumMap<>(Independence.class);
    voters.forEach(v -> out.merge(v.basis(), 1, Integer::sum));
    return out;
  }
}
