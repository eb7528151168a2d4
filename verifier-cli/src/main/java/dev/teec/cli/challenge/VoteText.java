package dev.teec.cli.challenge;

import dev.teec.builder.progress.TerminalText;
import dev.teec.verifier.bundle.SourceExpectation;
import dev.teec.verifier.vote.Independence;
import dev.teec.verifier.vote.VoteResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** The human report of {@code teec challenge vote} (SPEC.md C3). */
final class VoteText {
  private VoteText() {}

  static void print(
      PrintWriter out,
      VoteResult v,
      List<VoteCommand.Rejected> excluded,
      int inputs,
      Optional<SourceExpectation> expected,
      boolean operatorKeys) {
    out.println(headline(v, inputs));
    if (v.outcome() == VoteResult.Outcome.SOURCES_DIFFER) {
      for (int i = 0; i < v.sources().size(); i++) {
        VoteResult.SourceGroup s = v.sources().get(i);
        out.println("  source " + (i + 1) + ": " + safe(s.describe()));
        out.println("      " + safe(String.join(", ", s.bundles())));
      }
    } else if (v.source() != null) {
      out.println(
          "  source: "
              + safe(v.source().describe())
              + expected.map(e -> " (as --expect-source requires)").orElse(""));
    }
    if (v.outcome() == VoteResult.Outcome.SOURCES_DIFFER || v.source() == null) {
      expected.ifPresent(e -> out.println("  expected source: " + safe(e.toString())));
    }
    independence(out, v, operatorKeys);
    artifacts(out, v);
    if (!v.voters().isEmpty()) {
      out.println("  voters");
      for (VoteResult.Voter voter : v.voters()) {
        out.println(
            "    "
                + safe(voter.name())
                + (voter.simulated() ? "  (SIMULATED)" : "")
                + (voter.bundles().size() > 1
                    ? "  " + voter.bundles().size() + " bundles, one vote"
                    : ""));
        for (VoteResult.CountedBundle b : voter.bundles()) {
          out.println("      " + safe(b.input()) + "  " + safe(b.attested().describe()));
        }
      }
    }
    if (!excluded.isEmpty()) {
      out.println("  excluded");
      for (VoteCommand.Rejected e : excluded) {
        out.println("    " + safe(e.input()) + ": " + safe(e.reason()));
      }
    }
  }

  /** How the builders were told apart, and what that proves. */
  private static void independence(PrintWriter out, VoteResult v, boolean operatorKeys) {
    v.independence()
        .forEach(
            (basis, n) ->
                out.println(
                    "  independence: "
                        + n
                        + " by "
                        + basis.jsonName().replace('-', ' ')
                        + " ("
                        + meaning(basis)
                        + ")"));
    long simulated = v.voters().stream().filter(VoteResult.Voter::simulated).count();
    if (simulated > 0) {
      out.println(
          "  SIMULATED: the bundles of "
              + simulated
              + " of the "
              + v.votes()
              + " builders are attested by the local simulated NSM, not by AWS Nitro hardware: "
              + (operatorKeys
                  ? "their operator keys tell operators apart, but nothing shows independent"
                      + " hardware"
                  : "they prove nothing about independent hardware"));
    }
  }

  private static String meaning(Independence basis) {
    return switch (basis) {
      case OPERATOR_KEY ->
          "one pinned operator key, one vote; independence is what you know of the keys' holders";
      case PARENT_INSTANCE ->
          "one EC2 instance, one vote, however many enclaves it launched; instances may still share"
              + " an owner";
      case SIMULATED_ROOT -> "every bundle of the simulated root is one builder";
      case ATTESTATION_ROOT ->
          "not the AWS root: its holder can attest any module id, so it is one builder";
    };
  }

  private static void artifacts(PrintWriter out, VoteResult v) {
    for (VoteResult.ArtifactTally t : v.artifacts()) {
      String verdict =
          t.majority() != null
              ? "majority "
                  + t.majority()
                  + " ("
                  + t.digests().get(0).count()
                  + " of "
                  + v.votes()
                  + ")"
              : t.tie() ? "TIE, no majority" : "NO MAJORITY";
      out.println("  " + safe(t.name()) + ": " + verdict);
      for (VoteResult.DigestCount d : t.digests()) {
        out.println(
            "      "
                + d.count()
                + " x "
                + (d.sha256() == null ? "(absent)" : d.sha256())
                + "  "
                + safe(String.join(", ", d.voters())));
      }
      if (t.majority() != null) {
        for (VoteResult.Dissenter d : t.dissenters()) {
          out.println(
              "    dissent: "
                  + safe(d.voter())
                  + " ("
                  + safe(String.join(", ", d.inputs()))
                  + ") has "
                  + (d.sha256() == null ? "no such artifact" : d.sha256()));
        }
      }
    }
  }

  private static String headline(VoteResult v, int inputs) {
    String builders = builders(v.votes());
    int counted = v.voters().stream().mapToInt(voter -> voter.bundles().size()).sum();
    String bundles = " (" + counted + " of " + inputs + " bundle" + (inputs == 1 ? "" : "s") + ")";
    return switch (v.outcome()) {
      case UNANIMOUS ->
          v.votes() == 1
              ? "UNANIMOUS  1 independent builder voted; no other builder confirms it" + bundles
              : "UNANIMOUS  all " + builders + " agree on every artifact" + bundles;
      case MAJORITY ->
          "MAJORITY  a strict majority of the "
              + builders
              + " agrees on every artifact; some dissent"
              + bundles;
      case TIE -> "TIE  no strict majority among the " + builders + bundles;
      case NO_MAJORITY -> "NO MAJORITY  no strict majority among the " + builders + bundles;
      case QUORUM_NOT_MET ->
          "QUORUM NOT MET  " + builders + bundles + ", the quorum is " + v.quorum();
      case SOURCES_DIFFER ->
          "SOURCES DIFFER  the counted bundles name "
              + v.sources().size()
              + " sources; a vote compares builds of one source (choose it with"
              + " --expect-source, or leave out the others)";
      case NO_VALID_VOTES ->
          "NO VALID VOTES  no builder could vote; "
              + inputs
              + " bundle"
              + (inputs == 1 ? "" : "s")
              + " given";
    };
  }

  private static String builders(int n) {
    return n + " independent builder" + (n == 1 ? "" : "s");
  }

  private static String safe(String text) {
    return TerminalText.safe(text);
  }
}
