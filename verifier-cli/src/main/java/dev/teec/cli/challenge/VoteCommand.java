package dev.teec.cli.challenge;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.teec.cli.BundleTrustMixin;
import dev.teec.cli.CliFiles;
import dev.teec.cli.CliSupport;
import dev.teec.cli.CommandModels;
import dev.teec.cli.SourceExpectationMixin;
import dev.teec.cli.VerificationMixin;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.verifier.DocumentKind;
import dev.teec.verifier.bundle.BundleCheck;
import dev.teec.verifier.bundle.BundleVerification;
import dev.teec.verifier.bundle.BundleVerifier;
import dev.teec.verifier.bundle.SourceExpectation;
import dev.teec.verifier.bundle.VerifiedBundle;
import dev.teec.verifier.vote.Ballot;
import dev.teec.verifier.vote.OperatorKeys;
import dev.teec.verifier.vote.OperatorSignature;
import dev.teec.verifier.vote.Vote;
import dev.teec.verifier.vote.VoteResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * {@code teec challenge vote BUNDLE...}: verifies bundles of one source from independent builders,
 * and reports per artifact the digest a strict majority of the builders agrees on, and who dissents
 * (SPEC.md C3). Verification and counting are {@link BundleVerifier} and {@link Vote}; this class
 * parses options, reads the operator signatures and hands the result to {@link VoteText} or {@link
 * VoteJson}.
 */
@Command(
    name = "vote",
    description = {
      "Verify bundles of one source and build.json from independent builders and report, per"
          + " artifact, the digest a strict majority of the builders agrees on and who dissents.",
      "Bundles that fail verification do not vote. A builder is one EC2 parent instance (for"
          + " bundles under the simulated or another root: that root), or with --builders one"
          + " pinned operator key; it votes once however many bundles it made, and not at all"
          + " when they disagree."
    },
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every artifact has a strict majority of at least --quorum independent builders",
      "1:a tie, no majority, the quorum not met, no valid vote, or bundles of different sources",
      "2:usage error, or a bundle, signature or option file cannot be read",
      "3:internal error"
    })
public final class VoteCommand implements Callable<Integer> {
  private final Clock clock;
  private final Map<String, String> environment;

  @Spec private CommandSpec spec;

  private final VerificationMixin verification = new VerificationMixin();

  @Mixin private CommandSpec verificationOptions = CommandModels.mixin(verification.optionSpecs());

  @Mixin private BundleTrustMixin trust;

  @Mixin private SourceExpectationMixin source;

  @Option(
      names = "--builders",
      paramLabel = "JWKS",
      description = {
        "Tell builders apart by these pinned operator keys (JWK set, EC P-384): only bundles with"
            + " an operator signature BUNDLE"
            + OperatorSignature.FILE_SUFFIX
            + " by one of them count, one builder per key (teec bundle sign)."
      })
  private Path builders;

  @Option(
      names = "--quorum",
      paramLabel = "N",
      defaultValue = "1",
      description = "Require at least N independent builders to vote (default: ${DEFAULT-VALUE}).")
  private int quorum;

  @Option(
      names = "--json",
      description = "Print the tally as one JSON object instead of the report.")
  private boolean jsonOutput;

  // Read through the command spec by the shared error handler.
  @Option(names = CliSupport.STACKTRACE, hidden = true)
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
      throw usage("--quorum must be at least 1, got " + quorum);
    }
    for (Path b : bundles) {
      if (!Files.isRegularFile(b)) {
        throw usage(b + ": no such file");
      }
    }
    Vote.Builder vote = Vote.builder().quorum(quorum);
    OperatorKeys operators = operatorKeys();
    if (operators != null) {
      vote.operatorKeys(operators);
    }
    BundleVerifier.Builder b = trust.verifierBuilder(verification, clock, environment);
    source.applyTo(b);
    BundleVerifier verifier = b.build();
    List<Ballot> ballots = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    int tpm = 0;
    for (Path bundle : bundles) {
      BundleVerification result = verifier.verify(bundle);
      Optional<VerifiedBundle> ok = result.verifiedBundle();
      if (ok.isPresent()) {
        if (ok.get().attestation().document().kind() == DocumentKind.NITRO_TPM) {
          tpm++;
        }
        ballots.add(operators == null ? Ballot.of(ok.get()) : signed(ok.get(), bundle));
      } else {
        BundleCheck first =
            result.checks().stream().filter(BundleCheck::failed).findFirst().orElseThrow();
        rejected.add(
            new Rejected(
                result.input(),
                null,
                "does not verify: " + first.id() + ": " + first.detail(),
                result.failures()));
      }
    }
    VoteResult result = vote.build().count(ballots);
    List<Rejected> excluded = excluded(result, rejected);
    Optional<SourceExpectation> expected = source.expectation();
    PrintWriter out = spec.commandLine().getOut();
    if (jsonOutput) {
      out.println(
          JsonMapper.builder()
              .build()
              .writeValueAsString(VoteJson.of(result, excluded, bundles.size(), expected)));
    } else {
      VoteText.print(out, result, excluded, bundles.size(), expected, operators != null);
      // What the voters' evidence is worth: see --any-image, --allow-nitro-tpm.
      if (trust.anyImage()) {
        out.println(
            "  ANY IMAGE: the voters' enclave images were not identified (--any-image); whoever"
                + " can start an enclave could have cast these votes with any code");
      }
      if (tpm > 0) {
        out.println(
            "  NITRO-TPM: "
                + tpm
                + " of the bundles are NitroTPM documents of EC2 instances, not enclaves"
                + " (--allow-nitro-tpm)");
      }
    }
    out.flush();
    if (!result.outcome().agreed()) {
      CliSupport.next(
          spec.commandLine().getErr(),
          "no build has a majority: do not trust one yet; rebuild it yourself with 'teec"
              + " challenge reproduce', or collect more independent builds");
    }
    return result.outcome().agreed() ? CliSupport.OK : CliSupport.REJECTED;
  }

  /**
   * A bundle that did not vote, as listed under "excluded".
   *
   * @param input the bundle path as given
   * @param builder the builder it was attributed to, or null
   * @param reason one sentence saying why
   * @param failures the failed bundle checks when it did not verify, else empty
   */
  record Rejected(String input, String builder, String reason, List<String> failures) {}

  /** The bundles that failed verification and those the vote excluded, in command-line order. */
  private List<Rejected> excluded(VoteResult vote, List<Rejected> rejected) {
    List<Rejected> all = new ArrayList<>(rejected);
    vote.excluded()
        .forEach(e -> all.add(new Rejected(e.input(), e.builder(), e.reason(), List.of())));
    List<String> order = bundles.stream().map(Path::toString).toList();
    all.sort(Comparator.comparingInt(e -> order.indexOf(e.input())));
    return all;
  }

  private OperatorKeys operatorKeys() {
    if (builders == null) {
      return null;
    }
    byte[] jwks = CliFiles.read(spec.commandLine(), "--builders ", builders);
    try {
      return OperatorKeys.parse(new String(jwks, StandardCharsets.UTF_8));
    } catch (RegistryFormatException e) {
      throw usage("--builders " + builders + ": " + e.getMessage());
    }
  }

  private Ballot signed(VerifiedBundle bundle, Path file) {
    try {
      return Ballot.nextTo(bundle);
    } catch (IOException e) {
      throw usage(OperatorSignature.fileFor(file) + ": " + CliSupport.describe(e));
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
