package dev.teec.cli.challenge;

import dev.teec.verifier.bundle.SourceExpectation;
import dev.teec.verifier.vote.BuilderId;
import dev.teec.verifier.vote.VoteResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code --json} object of {@code teec challenge vote} (SPEC.md C3):
 *
 * <pre>
 * {
 *   "outcome":  "unanimous"|"majority"|"tie"|"no-majority"|"quorum-not-met"|"sources-differ"|"no-valid-votes",
 *   "agreed":   boolean   true for unanimous and majority (exit 0)
 *   "quorum":   number,   "votes": number (independent builders that voted),  "bundles": number (inputs)
 *   "expectedSource": "URI@COMMIT[:DIR]" or null
 *   "source":   the source every voter built, or null: {"uris", "commit", "tree", "path", "commitVerified", "archiveSha256", "buildJsonSha256", "bundles"}
 *   "sources":  every source the counted bundles name (several: "sources-differ")
 *   "independence": {basis: number of voters}   basis: "operator-key"|"parent-instance"|"simulated-root"|"attestation-root"
 *   "voters":   [{"builder", "basis", "identities" [{"basis", "id"}], "simulated",
 *                 "bundles" [{"input", "moduleId", "pcr0", "imageId", "simulated", "operatorKey"}],
 *                 "artifacts" {name: sha256}}]
 *   "excluded": [{"input", "builder" (or null), "reason", "failures" [check id]}]
 *   "artifacts": [{"name", "majority" (sha256 or null), "tie",
 *                  "digests" [{"sha256" (null = artifact absent), "count", "voters" [builder]}],
 *                  "dissenters" [{"builder", "bundles" [input], "sha256"}]}]
 *   "sets":     [{"artifacts" {name: sha256}, "count", "voters" [builder]}]   largest first
 * }
 * </pre>
 */
final class VoteJson {
  private VoteJson() {}

  static String outcomeName(VoteResult.Outcome o) {
    return o.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static Map<String, Object> of(
      VoteResult v,
      List<VoteCommand.Rejected> excluded,
      int inputs,
      Optional<SourceExpectation> expected) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outcome", outcomeName(v.outcome()));
    m.put("agreed", v.outcome().agreed());
    m.put("quorum", v.quorum());
    m.put("votes", v.votes());
    m.put("bundles", inputs);
    m.put("expectedSource", expected.map(SourceExpectation::toString).orElse(null));
    m.put("source", v.source() == null ? null : source(v.source()));
    m.put("sources", v.sources().stream().map(VoteJson::source).toList());
    Map<String, Integer> independence = new LinkedHashMap<>();
    v.independence().forEach((basis, n) -> independence.put(basis.jsonName(), n));
    m.put("independence", independence);
    m.put("voters", v.voters().stream().map(VoteJson::voter).toList());
    m.put(
        "excluded",
        excluded.stream()
            .map(
                e -> {
                  Map<String, Object> o = new LinkedHashMap<>();
                  o.put("input", e.input());
                  o.put("builder", e.builder());
                  o.put("reason", e.reason());
                  o.put("failures", e.failures());
                  return o;
                })
            .toList());
    m.put("artifacts", v.artifacts().stream().map(VoteJson::artifact).toList());
    m.put(
        "sets",
        v.sets().stream()
            .map(
                s -> {
                  Map<String, Object> o = new LinkedHashMap<>();
                  o.put("artifacts", s.artifacts());
                  o.put("count", s.count());
                  o.put("voters", s.voters());
                  return o;
                })
            .toList());
    return m;
  }

  private static Map<String, Object> source(VoteResult.SourceGroup s) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("uris", s.uris());
    o.put("commit", s.commit());
    o.put("tree", s.tree());
    o.put("path", s.path());
    o.put("commitVerified", s.commitVerified());
    o.put("archiveSha256", s.archiveSha256());
    o.put("buildJsonSha256", s.buildJsonSha256());
    o.put("bundles", s.bundles());
    return o;
  }

  private static Map<String, Object> voter(VoteResult.Voter voter) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("builder", voter.name());
    o.put("basis", voter.basis().jsonName());
    o.put("identities", voter.identities().stream().map(VoteJson::identity).toList());
    o.put("simulated", voter.simulated());
    o.put(
        "bundles",
        voter.bundles().stream()
            .map(
                b -> {
                  Map<String, Object> x = new LinkedHashMap<>();
                  x.put("input", b.input());
                  x.put("moduleId", b.attested().moduleId());
                  x.put("pcr0", b.attested().pcr0());
                  x.put("imageId", b.attested().imageId());
                  x.put("simulated", b.simulated());
                  x.put("operatorKey", b.operatorKey());
                  return x;
                })
            .toList());
    o.put("artifacts", voter.artifacts());
    return o;
  }

  private static Map<String, Object> identity(BuilderId id) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("basis", id.basis().jsonName());
    o.put("id", id.id());
    return o;
  }

  private static Map<String, Object> artifact(VoteResult.ArtifactTally t) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", t.name());
    o.put("majority", t.majority());
    o.put("tie", t.tie());
    o.put(
        "digests",
        t.digests().stream()
            .map(
                d -> {
                  Map<String, Object> x = new LinkedHashMap<>();
                  x.put("sha256", d.sha256());
                  x.put("count", d.count());
                  x.put("voters", d.voters());
                  return x;
                })
            .toList());
    o.put(
        "dissenters",
        t.dissenters().stream()
            .map(
                d -> {
                  Map<String, Object> x = new LinkedHashMap<>();
                  x.put("builder", d.voter());
                  x.put("bundles", d.inputs());
                  x.put("sha256", d.sha256());
                  return x;
                })
            .toList());
    return o;
  }
}
