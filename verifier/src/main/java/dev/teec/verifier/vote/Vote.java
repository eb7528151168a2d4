package dev.teec.verifier.vote;

import dev.teec.digest.Digests;
import dev.teec.formats.report.Jcs;
import dev.teec.formats.report.SourceInfo;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.bundle.VerifiedBundle;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The vote among independent builders (spec C3). Verified bundles come in as {@link Ballot}s; each
 * is attributed to a builder, by its pinned operator key when {@link Builder#operatorKeys} is
 * given, otherwise by what its attestation proves (the parent EC2 instance under the AWS root, or
 * the root itself for any other root); all must name one source; one builder votes once, however
 * many bundles it made, and not at all when its bundles disagree with each other. Each artifact
 * then needs a digest with a strict majority of the voting builders; a builder without an artifact
 * votes "absent" for it.
 *
 * <p>Only {@link VerifiedBundle}s vote: a bundle that failed verification cannot be passed in.
 * Instances are immutable and thread-safe.
 */
public final class Vote {
  private final int quorum;
  private final OperatorKeys operators;
  private final Set<String> instanceRoots;

  private Vote(Builder b) {
    this.quorum = b.quorum;
    this.operators = b.operators;
    this.instanceRoots = Set.copyOf(b.instanceRoots);
  }

  /** A vote with quorum 1, builders told apart by attestation, the AWS root as instance root. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Counts {@code verified} with builders told apart by their attestation.
   *
   * @param verified the verified bundles, in command-line order
   * @param quorum the least number of independent builders, at least 1
   * @throws IllegalArgumentException if {@code quorum} is below 1
   */
  public static VoteResult count(List<VerifiedBundle> verified, int quorum) {
    return builder().quorum(quorum).build().count(verified.stream().map(Ballot::of).toList());
  }

  /**
   * Counts the ballots.
   *
   * @param ballots verified bundles with their operator signatures, in command-line order
   * @return the tally and its outcome
   */
  public VoteResult count(List<Ballot> ballots) {
    List<VoteResult.Excluded> excluded = new ArrayList<>();
    List<BuilderGroups.Member> members = new ArrayList<>();
    for (Ballot ballot : ballots) {
      VerifiedBundle b = ballot.bundle();
      List<BuilderId> ids = new ArrayList<>();
      String operatorKey = null;
      if (operators != null) {
        OperatorSignatureCheck signature = operators.check(b, ballot.operatorSignature());
        if (!signature.verified()) {
          excluded.add(new VoteResult.Excluded(b.input(), null, signature.problem()));
          continue;
        }
        operatorKey = signature.keyId();
        ids.add(new BuilderId(Independence.OPERATOR_KEY, operatorKey));
      }
      BuilderId attested = attestedBuilder(b);
      if (attested == null) {
        excluded.add(
            new VoteResult.Excluded(
                b.input(),
                null,
                "the attested module id "
                    + b.builder().moduleId()
                    + " does not name an EC2 parent instance (i-...-enc...)"));
        continue;
      }
      // With operator keys a root is no identity (every simulated bundle shares one), but a
      // parent instance still is: two keys that signed bundles of one machine are one builder.
      if (operatorKey == null || attested.basis() == Independence.PARENT_INSTANCE) {
        ids.add(attested);
      }
      members.add(new BuilderGroups.Member(b, ids, operatorKey));
    }
    List<VoteResult.SourceGroup> sources = sources(members);
    if (sources.size() > 1) {
      return new VoteResult(
          VoteResult.Outcome.SOURCES_DIFFER,
          quorum,
          sources,
          List.of(),
          excluded,
          List.of(),
          List.of());
    }
    List<VoteResult.Voter> voters = BuilderGroups.voters(members, excluded);
    // Builders that disagree with themselves are found last; list every exclusion in input order.
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < ballots.size(); i++) {
      order.putIfAbsent(ballots.get(i).bundle().input(), i);
    }
    excluded.sort(Comparator.comparingInt(e -> order.get(e.input())));
    List<VoteResult.ArtifactTally> tallies = Tally.artifacts(voters);
    return new VoteResult(
        Tally.outcome(voters.size(), quorum, tallies),
        quorum,
        sources,
        voters,
        excluded,
        tallies,
        Tally.sets(voters));
  }

  /**
   * What the attestation proves about who built {@code b}: the parent instance under an instance
   * root, else the simulated root or the root itself; null when an instance root's module id does
   * not name a parent instance.
   */
  private BuilderId attestedBuilder(VerifiedBundle b) {
    String root = Digests.sha256Hex(b.attestation().document().cabundle().get(0).toByteArray());
    if (b.simulated()) {
      return new BuilderId(Independence.SIMULATED_ROOT, root);
    }
    if (instanceRoots.contains(root)) {
      return BuilderId.parentInstance(b.builder().moduleId())
          .map(i -> new BuilderId(Independence.PARENT_INSTANCE, i))
          .orElse(null);
    }
    return new BuilderId(Independence.ATTESTATION_ROOT, root);
  }

  /** The distinct sources of the members, first seen first. */
  private static List<VoteResult.SourceGroup> sources(List<BuilderGroups.Member> members) {
    Map<List<String>, List<VerifiedBundle>> bySource = new LinkedHashMap<>();
    for (BuilderGroups.Member m : members) {
      SourceInfo s = m.bundle().report().source();
      List<String> key =
          Arrays.asList(
              s.commit(), s.tree(), s.path(), s.archiveSha256(), buildJsonSha256(m.bundle()));
      bySource.computeIfAbsent(key, k -> new ArrayList<>()).add(m.bundle());
    }
    List<VoteResult.SourceGroup> out = new ArrayList<>();
    bySource.forEach(
        (key, bundles) -> {
          Set<String> uris = new LinkedHashSet<>();
          bundles.forEach(
              b -> {
                if (b.report().source().uri() != null) {
                  uris.add(b.report().source().uri());
                }
              });
          out.add(
              new VoteResult.SourceGroup(
                  key.get(0),
                  key.get(1),
                  key.get(2),
                  // Conservative: a commit is called verified only if every worker verified it.
                  key.get(0) != null
                      && bundles.stream().allMatch(b -> b.report().source().verified()),
                  key.get(3),
                  key.get(4),
                  List.copyOf(uris),
                  bundles.stream().map(VerifiedBundle::input).toList()));
        });
    return out;
  }

  private static String buildJsonSha256(VerifiedBundle b) {
    return Digests.sha256Hex(Jcs.canonicalize(b.report().buildJson()));
  }

  /** Configures a {@link Vote}. Not thread-safe. */
  public static final class Builder {
    private int quorum = 1;
    private OperatorKeys operators;
    private final Set<String> instanceRoots = new LinkedHashSet<>();

    private Builder() {
      instanceRoots(TrustAnchors.awsNitroEnclavesRootG1());
    }

    /**
     * The least number of independent builders that must vote (default 1).
     *
     * @throws IllegalArgumentException if {@code quorum} is below 1
     */
    public Builder quorum(int quorum) {
      if (quorum < 1) {
        throw new IllegalArgumentException("the quorum must be at least 1, got " + quorum);
      }
      this.quorum = quorum;
      return this;
    }

    /**
     * Tells builders apart by these pinned operator keys ({@code --builders}): only bundles with an
     * operator signature by one of them count, one builder per key; bundles of one parent instance
     * still count once, whichever keys signed them.
     */
    public Builder operatorKeys(OperatorKeys keys) {
      this.operators = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * The roots under which a document's module id names the parent EC2 instance, replacing the
     * default (the AWS Nitro Enclaves root G1, whose module ids AWS assigns). Bundles under any
     * other root count as one builder per root.
     */
    public Builder instanceRoots(TrustAnchors roots) {
      Objects.requireNonNull(roots, "roots");
      instanceRoots.clear();
      for (X509Certificate c : roots.certificates()) {
        try {
          instanceRoots.add(Digests.sha256Hex(c.getEncoded()));
        } catch (CertificateEncodingException e) {
          throw new IllegalArgumentException("a root cannot be encoded: " + e.getMessage(), e);
        }
      }
      return this;
    }

    /** Builds the vote. */
    public Vote build() {
      return new Vote(this);
    }
  }
}
