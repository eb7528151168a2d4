package dev.teec.verifier.vote;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Steps 5 and 6 of spec C3: the count per artifact among the voting builders, and the outcome. */
final class Tally {
  private Tally() {}

  static VoteResult.Outcome outcome(int votes, int quorum, List<VoteResult.ArtifactTally> tallies) {
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

  static List<VoteResult.ArtifactTally> artifacts(List<VoteResult.Voter> voters) {
    TreeSet<String> names = new TreeSet<>();
    voters.forEach(v -> names.addAll(v.artifacts().keySet()));
    List<VoteResult.ArtifactTally> out = new ArrayList<>();
    for (String name : names) {
      // Insertion order is first-vote order, which breaks equal counts deterministically.
      Map<String, List<String>> byDigest = new LinkedHashMap<>();
      for (VoteResult.Voter v : voters) {
        byDigest.computeIfAbsent(v.artifacts().get(name), k -> new ArrayList<>()).add(v.name());
      }
      List<VoteResult.DigestCount> counts = new ArrayList<>();
      byDigest.forEach(
          (digest, builders) ->
              counts.add(new VoteResult.DigestCount(digest, builders.size(), builders)));
      counts.sort(Comparator.comparingInt(VoteResult.DigestCount::count).reversed());
      VoteResult.DigestCount top = counts.get(0);
      boolean majority = top.count() * 2 > voters.size();
      boolean tie = !majority && counts.size() > 1 && counts.get(1).count() == top.count();
      String majorityDigest = majority ? top.sha256() : null;
      List<VoteResult.Dissenter> dissenters = new ArrayList<>();
      for (VoteResult.Voter v : voters) {
        String digest = v.artifacts().get(name);
        if (!majority || !Objects.equals(digest, majorityDigest)) {
          dissenters.add(new VoteResult.Dissenter(v.name(), v.inputs(), digest));
        }
      }
      out.add(new VoteResult.ArtifactTally(name, majorityDigest, tie, counts, dissenters));
    }
    return out;
  }

  static List<VoteResult.SetTally> sets(List<VoteResult.Voter> voters) {
    Map<SortedMap<String, String>, List<String>> groups = new LinkedHashMap<>();
    for (VoteResult.Voter v : voters) {
      groups.computeIfAbsent(new TreeMap<>(v.artifacts()), k -> new ArrayList<>()).add(v.name());
    }
    List<VoteResult.SetTally> out = new ArrayList<>();
    groups.forEach((set, names) -> out.add(new VoteResult.SetTally(set, names.size(), names)));
    out.sort(Comparator.comparingInt(VoteResult.SetTally::count).reversed());
    return out;
  }
}
