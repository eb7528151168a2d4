package dev.teec.cli.challenge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.teec.builder.progress.TerminalText;
import dev.teec.cli.BundleTrustMixin;
import dev.teec.cli.VerificationMixin;
import dev.teec.verifier.bundle.BuilderIdentity;
import dev.teec.verifier.bundle.BundleCheck;
import dev.teec.verifier.bundle.BundleVerification;
import dev.teec.verifier.bundle.BundleVerifier;
import dev.teec.verifier.bundle.VerifiedBundle;
import dev.teec.verifier.vote.Vote;
import dev.teec.verifier.vote.VoteResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code teec challenge vote BUNDLE...}: verifies bundles from independent builders of the same
 * source and build.json, and reports per artifact the digest a strict majority of the valid votes
 * agrees on, and who dissents (SPEC.md C3). Verification and counting are {@link BundleVerifier}
 * and {@link Vote}; this class parses options and prints.
 *
 * <h2>JSON output</h2>
 *
 * One object:
 *
 * <pre>
 * {
 *   "outcome":  "unanimous"|"majority"|"tie"|"no-majority"|"quorum-not-met"|"no-valid-votes",
 *   "agreed":   boolean   true for unanimous and majority (exit 0)
 *   "quorum":   number,   "votes": number (valid votes),  "bundles": number (inputs)
 *   "voters":   [{"input", "moduleId", "pcr0", "imageId" (or null), "simulated", "artifacts" {name: sha256}}]
 *   "excluded": [{"input", "reason", "failures" [check id]}]
 *   "artifacts": [{"name", "majority" (sha256 or null), "tie",
 *                  "digests" [{"sha256" (null = artifact absent), "count", "voters" [input]}],
 *                  "dissenters" [{"input", "moduleId", "pcr0", "imageId", "sha256"}]}]
 *   "sets":     [{"artifacts" {name: sha256}, "count", "voters" [input]}]   largest first
 * }
 * </pre>
 */
@Command(
    name = "vote",
    description = {
      "Verify bundles from independent builders of the same source and build.json and report, per"
          + " artifact, the digest a strict majority of the valid votes agrees on and who dissents.",
      "Bundles that fail verification do not vote and are listed with the reason; each builder"
          + " (attested module id and PCR0) votes once."
    },
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every artifact has a strict majority, with at least --quorum valid votes",
      "1:a tie, no majority, the quorum not met, or no valid vote",
      "2:usage error, or a bundle or option file cannot be read",
      "3:internal error"
    })
public final class VoteCommand implements Callable<Integer> {
  private final Clock clock;
  private final Map<String, String> environment;
  private final ObjectMapper json = JsonMapper.builder().build();

  @Spec private CommandSpec spec;

  @Mixin private VerificationMixin verification;

  @Mixin private BundleTrustMixin trust;

  @Option(
      names = "--quorum",
      paramLabel = "N",
      defaultValue = "1",
      description = "Require at least N valid votes (default: ${DEFAULT-VALUE}).")
  private int quorum;

  @Option(
      names = "--json",
      description = "Print the tally as one JSON object instead of the report.")
  private boolean jsonOutput;

  // Read through the command spec by the shared error handler.
  @Option(names = "--stacktrace", hidden = true)
  private boolean stacktrace;

  @Parameters(arity = "1..*", paramLabel = "BUNDLE", description = "Bundles (tar) to count.")
  private List<Path> bundles;

  /**
   * @param clock the source of "now"
   * @param environment where TEEC_HOME is looked up (tests pass their own)
   */
  public VoteCommand(Clock clock, Map<String, String> environment) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Integer call() throws IOException {
    if (quorum < 1) {
      throw new ParameterException(
          spec.commandLine(), "--quorum must be at least 1, got " + quorum);
    }
    for (Path b : bundles) {
      if (!Files.isRegularFile(b)) {
        throw new ParameterException(spec.commandLine(), b + ": no such file");
      }
    }
    BundleVerifier verifier = trust.verifierBuilder(verification, clock, environment).build();
    List<VerifiedBundle> verified = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    for (Path b : bundles) {
      BundleVerification result = verifier.verify(b);
      Optional<VerifiedBundle> ok = result.verifiedBundle();
      if (ok.isPresent()) {
        verified.add(ok.get());
      } else {
        BundleCheck first =
            result.checks().stream().filter(BundleCheck::failed).findFirst().orElseThrow();
        rejected.add(
            new Rejected(
                result.input(),
                "does not verify: " + first.id() + ": " + first.detail(),
                result.failures()));
      }
    }
    VoteResult vote = Vote.count(verified, quorum);
    List<Rejected> excluded = excluded(vote, rejected);
    PrintWriter out = spec.commandLine().getOut();
    if (jsonOutput) {
      out.println(json.writeValueAsString(toJson(vote, excluded, bundles.size())));
    } else {
      print(out, vote, excluded, bundles.size());
    }
    out.flush();
    return vote.outcome().agreed() ? 0 : 1;
  }

  /**
   * A bundle that did not vote, as listed under "excluded".
   *
   * @param input the bundle path as given
   * @param reason one sentence saying why
   * @param failures the failed bundle checks when it did not verify, else empty
   */
  private record Rejected(String input, String reason, List<String> failures) {}

  /** The bundles that failed verification and those the vote excluded, in command-line order. */
  private List<Rejected> excluded(VoteResult vote, List<Rejected> rejected) {
    List<Rejected> all = new ArrayList<>(rejected);
    vote.excluded().forEach(e -> all.add(new Rejected(e.input(), e.reason(), List.of())));
    List<String> order = bundles.stream().map(Path::toString).toList();
    all.sort(Comparator.comparingInt(e -> order.indexOf(e.input())));
    return all;
  }

  static String outcomeName(VoteResult.Outcome o) {
    return o.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Map<String, Object> toJson(VoteResult v, List<Rejected> excluded, int inputs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outcome", outcomeName(v.outcome()));
    m.put("agreed", v.outcome().agreed());
    m.put("quorum", v.quorum());
    m.put("votes", v.votes());
    m.put("bundles", inputs);
    m.put(
        "voters",
        v.voters().stream()
            .map(
                voter -> {
                  Map<String, Object> o = builder(voter.input(), voter.builder());
                  o.put("simulated", voter.simulated());
                  o.put("artifacts", voter.artifacts());
                  return o;
                })
            .toList());
    m.put(
        "excluded",
        excluded.stream()
            .map(
                e -> {
                  Map<String, Object> o = new LinkedHashMap<>();
                  o.put("input", e.input());
                  o.put("reason", e.reason());
                  o.put("failures", e.failures());
                  return o;
                })
            .toList());
    m.put(
        "artifacts",
        v.artifacts().stream()
            .map(
                t -> {
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
                                Map<String, Object> x = builder(d.input(), d.builder());
                                x.put("sha256", d.sha256());
                                return x;
                              })
                          .toList());
                  return o;
                })
            .toList());
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

  private static Map<String, Object> builder(String input, BuilderIdentity b) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("input", input);
    o.put("moduleId", b.moduleId());
    o.put("pcr0", b.pcr0());
    o.put("imageId", b.imageId());
    return o;
  }

  private static void print(PrintWriter out, VoteResult v, List<Rejected> excluded, int inputs) {
    out.println(headline(v, inputs));
    long simulated = v.voters().stream().filter(VoteResult.Voter::simulated).count();
    if (simulated > 0) {
      out.println(
          "  SIMULATED: "
              + simulated
              + " of the votes are attested by the local simulated NSM, not by"
              + " AWS Nitro hardware; they are not independent evidence");
    }
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
      out.println("  " + TerminalText.safe(t.name()) + ": " + verdict);
      for (VoteResult.DigestCount d : t.digests()) {
        out.println(
            "      "
                + d.count()
                + " x "
                + (d.sha256() == null ? "(absent)" : d.sha256())
                + "  "
                + TerminalText.safe(String.join(", ", d.voters())));
      }
      if (t.majority() != null) {
        for (VoteResult.Dissenter d : t.dissenters()) {
          out.println(
              "    dissent: "
                  + TerminalText.safe(d.input())
                  + " ("
                  + TerminalText.safe(d.builder().describe())
                  + ") has "
                  + (d.sha256() == null ? "no such artifact" : d.sha256()));
        }
      }
    }
    if (!v.voters().isEmpty()) {
      out.println("  voters");
      for (VoteResult.Voter voter : v.voters()) {
        out.println(
            "    "
                + TerminalText.safe(voter.input())
                + "  "
                + TerminalText.safe(voter.builder().describe())
                + (voter.simulated() ? "  (SIMULATED)" : ""));
      }
    }
    if (!excluded.isEmpty()) {
      out.println("  excluded");
      for (Rejected e : excluded) {
        out.println("    " + TerminalText.safe(e.input()) + ": " + TerminalText.safe(e.reason()));
      }
    }
  }

  private static String headline(VoteResult v, int inputs) {
    String votes =
        v.votes()
            + " valid vote"
            + (v.votes() == 1 ? "" : "s")
            + " of "
            + inputs
            + " bundle"
            + (inputs == 1 ? "" : "s");
    return switch (v.outcome()) {
      case UNANIMOUS -> "UNANIMOUS  all " + votes + " agree on every artifact";
      case MAJORITY ->
          "MAJORITY  a strict majority of the "
              + votes
              + " agrees on every artifact; "
              + "some builders dissent";
      case TIE -> "TIE  no strict majority among the " + votes;
      case NO_MAJORITY -> "NO MAJORITY  no strict majority among the " + votes;
      case QUORUM_NOT_MET -> "QUORUM NOT MET  " + votes + ", the quorum is " + v.quorum();
      case NO_VALID_VOTES -> "NO VALID VOTES  none of the " + inputs + " bundles verified";
    };
  }
}
