package dev.teec.verifier.vote;

import dev.teec.verifier.bundle.VerifiedBundle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Step 4 of spec C3: bundles that share any identity are one builder (transitively), and a builder
 * votes once, with the artifacts all its bundles agree on.
 */
final class BuilderGroups {
  private BuilderGroups() {}

  /**
   * A counted bundle and the identities that attribute it to a builder.
   *
   * @param bundle the bundle
   * @param ids its identities, at least one
   * @param operatorKey the key id that signed it, or null
   */
  record Member(VerifiedBundle bundle, List<BuilderId> ids, String operatorKey) {
    Member {
      Objects.requireNonNull(bundle, "bundle");
      ids = List.copyOf(ids);
    }
  }

  /**
   * The voters among {@code members}, in the order of their first bundle; the bundles of builders
   * that disagree with themselves are added to {@code excluded}.
   */
  static List<VoteResult.Voter> voters(List<Member> members, List<VoteResult.Excluded> excluded) {
    List<VoteResult.Voter> voters = new ArrayList<>();
    for (List<Member> group : groups(members)) {
      List<BuilderId> ids = identities(group);
      String name = name(ids);
      Set<SortedMap<String, String>> sets = new LinkedHashSet<>();
      group.forEach(m -> sets.add(m.bundle().artifactDigests()));
      if (sets.size() > 1) {
        String inputs = String.join(", ", group.stream().map(m -> m.bundle().input()).toList());
        for (Member m : group) {
          excluded.add(
              new VoteResult.Excluded(
                  m.bundle().input(),
                  name,
                  name
                      + " made bundles that disagree with each other on "
                      + String.join(", ", differing(sets))
                      + " ("
                      + inputs
                      + "); a builder that disagrees with itself does not vote"));
        }
        continue;
      }
      voters.add(
          new VoteResult.Voter(
              name,
              ids,
              group.stream().anyMatch(m -> m.bundle().simulated()),
              group.stream()
                  .map(
                      m ->
                          new VoteResult.CountedBundle(
                              m.bundle().input(),
                              m.bundle().builder(),
                              m.bundle().simulated(),
                              m.operatorKey()))
                  .toList(),
              sets.iterator().next()));
    }
    return voters;
  }

  /** Union-find over shared identities; groups in the order of their first member. */
  private static List<List<Member>> groups(List<Member> members) {
    int[] parent = new int[members.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    Map<BuilderId, Integer> owner = new HashMap<>();
    for (int i = 0; i < members.size(); i++) {
      for (BuilderId id : members.get(i).ids()) {
        Integer earlier = owner.putIfAbsent(id, i);
        if (earlier != null) {
          parent[find(parent, i)] = find(parent, earlier);
        }
      }
    }
    Map<Integer, List<Member>> groups = new LinkedHashMap<>();
    for (int i = 0; i < members.size(); i++) {
      groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(members.get(i));
    }
    return List.copyOf(groups.values());
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** The group's distinct identities, by basis (operator keys first), then first seen. */
  private static List<BuilderId> identities(List<Member> group) {
    Set<BuilderId> ids = new LinkedHashSet<>();
    group.forEach(m -> ids.addAll(m.ids()));
    List<BuilderId> out = new ArrayList<>(ids);
    out.sort(Comparator.comparing(BuilderId::basis));
    return out;
  }

  /** {@code operator key alice}, or {@code operator keys alice, bob} when a machine joined them. */
  private static String name(List<BuilderId> ids) {
    Independence basis = ids.get(0).basis();
    List<String> same =
        ids.stream().filter(id -> id.basis() == basis).map(BuilderId::shortId).toList();
    return BuilderId.label(basis, same.size() > 1) + " " + String.join(", ", same);
  }

  /** The artifact names whose digests are not the same in every set. */
  private static List<String> differing(Set<SortedMap<String, String>> sets) {
    Set<String> names = new TreeSet<>();
    sets.forEach(s -> names.addAll(s.keySet()));
    SortedMap<String, String> first = sets.iterator().next();
    return names.stream()
        .filter(n -> sets.stream().anyMatch(s -> !Objects.equals(s.get(n), first.get(n))))
        .toList();
  }
}
