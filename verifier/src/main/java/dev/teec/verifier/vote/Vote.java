package dev.teec.verifier.vote;

import dev.teec.formats.report.ProvenanceReport;
import dev.teec.verifier.bundle.BuilderIdentity;
import dev.teec.verifier.bundle.VerifiedBundle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts the votes of verified bundles (spec C3). A bundle votes only if it was built from the same
 * source archive and build.json as the most common one among them, and comes from a builder (module
 * id and PCR0) that has not voted yet: one builder, one vote. Each artifact then needs a digest
 * with a strict majority of the valid votes; a voter without an artifact votes "absent" for it.
 *
 * <p>Only {@link VerifiedBundle}s vote: a bundle that failed verification cannot be passed in.
 */
public final class Vote {
  private Vote() {}

  /**
   * Counts the votes.
   *
   * @param verified the verified bundles, in command-line order
   * @param quorum the least number of valid votes, at least 1
   * @return the tally and its outcome
   * @throws IllegalArgumentException if {@code quorum} is below 1
   */
  public static VoteResult count(List<VerifiedBundle> verified, int quorum) {
    if (quorum < 1) {
      throw new IllegalArgumentException("the quorum must be at least 1, got " + quorum);
    }
    List<VoteResult.Excluded> excluded = new ArrayList<>();
    String reference = mostCommonBuild(verified);
    List<VoteResult.Voter> voters = new ArrayList<>();
    Map<String, String> seenBuilders = new LinkedHashMap<>();
    for (VerifiedBundle b : verified) {
      ProvenanceReport report = b.report();
      BuilderIdentity builder = b.builder();
      if (!buildKey(report).equals(reference)) {
        excluded.add(
            new VoteResult.Excluded(
                b.input(),
                "built from a different source archive or build.json"
                    + " (source archive sha256 "
                    + report.source().archiveSha256()
                    + ") than the other bundles"));
        continue;
      }
      String key = builder.moduleId() + "/" + builder.pcr0();
      String earlier = seenBuilders.putIfAbsent(key, b.input());
      if (earlier != null) {
        excluded.add(
            new VoteResult.Excluded(
                b.input(),
                "built by the same builder as "
                    + earlier
                    + " ("
                    + builder.describe()
                    + "); one vote per builder"));
        continue;
      }
      voters.add(new VoteResult.Voter(b.input(), builder, b.simulated(), b.artifactDigests()));
    }

    List<VoteResult.ArtifactTally> tallies = tallies(voters);
    VoteResult.Outcome outcome = outcome(voters.size(), quorum, tallies);
    return new VoteResult(outcome, quorum, voters, excluded, tallies, sets(voters));
  }

  private static VoteResult.Outcome outcome(
      int votes, int quorum, List<VoteResult.ArtifactTally> tallies) {
    if (votes == 0) {
      return VoteResult.Outcome.NO_VALID_VOTES;
    }
    if (votes < quorum) {
      return VoteResult.Outcome.QUORUM_NOT_MET;
    }
    List<VoteResult.ArtifactTally> undecided =
        tallies.stream().filter(t -> t.majority() == null).toList();
    if (!undecided.isEmpty()) {
      return undecided.stream().allMatch(VoteResult.ArtifactTally::tie)
          ? VoteResult.Outcome.TIE
          : VoteResult.Outcome.NO_MAJORITY;
    }
    return tallies.stream().allMatch(t -> t.dissenters().isEmpty())
        ? VoteResult.Outcome.UNANIMOUS
        : VoteResult.Outcome.MAJORITY;
  }

  private static List<VoteResult.ArtifactTally> tallies(List<VoteResult.Voter> voters) {
    TreeSet<String> names = new TreeSet<>();
    voters.forEach(v -> names.addAll(v.artifacts().keySet()));
    List<VoteResult.ArtifactTally> out = new ArrayList<>();
    for (String name : names) {
      // Insertion order is first-vote order, which breaks equal counts deterministically.
      Map<String, List<String>> byDigest = new LinkedHashMap<>();
      for (VoteResult.Voter v : voters) {
        byDigest.computeIfAbsent(v.artifacts().get(name), k -> new ArrayList<>()).add(v.input());
      }
      List<VoteResult.DigestCount> counts = new ArrayList<>();
      byDigest.forEach(
          (digest, inputs) ->
              counts.add(new VoteResult.DigestCount(digest, inputs.size(), inputs)));
      counts.sort(Comparator.comparingInt(VoteResult.DigestCount::count).reversed());
      VoteResult.DigestCount top = counts.get(0);
      boolean majority = top.count() * 2 > voters.size();
      boolean tie = !majority && counts.size() > 1 && counts.get(1).count() == top.count();
      String majorityDigest = majority ? top.sha256() : null;
      List<VoteResult.Dissenter> dissenters = new ArrayList<>();
      for (VoteResult.Voter v : voters) {
        String digest = v.artifacts().get(name);
        if (!majority || !Objects.equals(digest, majorityDigest)) {
          dissenters.add(new VoteResult.Dissenter(v.input(), v.builder(), digest));
        }
      }
      out.add(new VoteResult.ArtifactTally(name, majorityDigest, tie, counts, dissenters));
    }
    return out;
  }

  private static List<VoteResult.SetTally> sets(List<VoteResult.Voter> voters) {
    Map<SortedMap<String, String>, List<String>> groups = new LinkedHashMap<>();
    for (VoteResult.Voter v : voters) {
      groups.computeIfAbsent(new TreeMap<>(v.artifacts()), k -> new ArrayList<>()).add(v.input());
    }
    List<VoteResult.SetTally> out = new ArrayList<>();
    groups.forEach((set, inputs) -> out.add(new VoteResult.SetTally(set, inputs.size(), inputs)));
    out.sort(Comparator.comparingInt(VoteResult.SetTally::count).reversed());
    return out;
  }

  /**
   * The most common source archive and build.json among {@code verified}; ties go to the first
   * seen.
   */
  private static String mostCommonBuild(List<VerifiedBundle> verified) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (VerifiedBundle b : verified) {
      counts.merge(buildKey(b.report()), 1, Integer::sum);
    }
    String best = null;
    int bestCount = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best;
  }

  private static String buildKey(ProvenanceReport report) {
    // buildJson is normalised by the report, so equal objects print equally.
    return report.source().archiveSha256() + "\n" + report.buildJson();
  }
}
