package dev.teec.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.teec.cli.registry.RegistryContext;
import dev.teec.cli.registry.RegistryOptions;
import dev.teec.cli.registry.RegistryReport;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code teec-verify doc FILE...}: verifies attestation documents and prints a verdict for each.
 *
 * <p>Each file holds raw COSE_Sign1 bytes, or the same as hex or base64 text; see {@link
 * DocumentInput#decode}. Every file is read before any verdict is printed, so an unreadable file is
 * a usage error (exit 2) with no partial output; the files are read while the verifier is set up,
 * and the documents already read are verified while the rest are read.
 *
 * <h2>JSON output</h2>
 *
 * With {@code --json}, one JSON object per input file, in command-line order, each on its own line
 * (NDJSON). Instants are ISO-8601 UTC strings ({@code 2022-11-09T22:52:00.696Z}); byte strings are
 * lowercase hex.
 *
 * <pre>
 * {
 *   "input":      string   the path as given on the command line
 *   "encoding":   string   how the file was read: "raw", "hex", "base64" or "base64url"
 *   "verified":   boolean  true exactly when no check failed
 *   "failures":   [string] ids of the failed checks, in the order they ran
 *   "checks": [            every check, in the order they ran, each id exactly once
 *     { "id":       string  stable check id, e.g. "chain.validity"
 *       "status":   string  "PASS", "FAIL", "WARN" or "SKIP"
 *       "detail":   string  one sentence: what was checked, and on failure what is wrong
 *       "expected": string  what the check required; omitted when not a single value
 *       "actual":   string  what the document had; omitted when not a single value
 *       "spec":     string  the spec section defining the check, e.g. "spec/verifier.md#V5" }
 *   ],
 *   "verifiedAt": string|null  the instant T at which certificate validity was judged; null only
 *                              with --at document when the document could not be decoded
 *   "timeMode":   string   how T was chosen: "now", "document" or "fixed"
 *   "document":   null if the payload could not be decoded, else {
 *     "kind":        string  "nitro-enclave" or "nitro-tpm"
 *     "moduleId":    string
 *     "timestamp":   string  the signed creation time
 *     "digest":      string  "SHA384"
 *     "pcrs":        object  PCR index as a decimal string to hex value, in index order
 *     "publicKey":   string|null
 *     "userData":    string|null
 *     "nonce":       string|null
 *     "unknownKeys": [string]  payload keys the verifier does not know
 *   },
 *   "certificates": [      the certificates that could be parsed, leaf first, root last
 *     { "role": "leaf"|"intermediate"|"root", "subject": string (RFC 2253), "issuer": string,
 *       "notBefore": string, "notAfter": string, "sha256": string (hex of the DER) }
 *   ],
 *   "image":      only with --registry: the matched registry image (the registry format's image
 *                 object, SPEC.md R1), or null when none matched; the checks then end with
 *                 registry.format, registry.signature, registry.validity, registry.version and
 *                 image.match
 * }
 * </pre>
 *
 * Fields may be added in later versions; consumers should ignore fields they do not know.
 */
public final class VerifyDocCommand implements Callable<Integer> {
  private final Clock clock;
  private final Map<String, String> environment;
  private final CommandSpec spec;
  private final VerificationMixin verification = new VerificationMixin();
  private final RegistryOptions registry = new RegistryOptions();
  private final OutputMixin output = new OutputMixin();

  private final OptionSpec jobs =
      OptionSpec.builder("--jobs")
          .paramLabel("N")
          .type(Integer.class)
          .description(
              "Verify up to N documents at once; the output stays in the order of the FILEs."
                  + " Default: the number of available processors.")
          .build();

  private final PositionalParamSpec files =
      PositionalParamSpec.builder()
          .arity("1..*")
          .required(true)
          .paramLabel("FILE")
          .type(List.class)
          .auxiliaryTypes(String.class)
          .description("Attestation documents to verify.")
          .parameterConsumer(new FileParameters())
          .build();

  /**
   * The {@code doc} command, built in code rather than from annotations ({@link CommandModels}).
   *
   * @param clock the source of "now", for {@code --at now} and the freshness bounds; tests pass a
   *     fixed clock
   * @param environment where TEEC_HOME is looked up (the registry's version store)
   * @return the command's model, to add to a {@code CommandLine}
   */
  public static CommandSpec newSpec(Clock clock, Map<String, String> environment) {
    return new VerifyDocCommand(clock, environment).spec;
  }

  private VerifyDocCommand(Clock clock, Map<String, String> environment) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.environment = Map.copyOf(environment);
    spec = CommandSpec.wrapWithoutInspection(this).name("doc");
    spec.usageMessage()
        .description(
            "Verify AWS Nitro attestation documents, one verdict per FILE.",
            "",
            "Each FILE holds raw COSE bytes, or the same as hex or base64 text.",
            "A document is verified only if its COSE_Sign1 structure and payload are well formed,"
                + " its certificate chain ends in the pinned AWS root (or a --root) and is valid at"
                + " T (--at), its signature verifies, and it satisfies the policy.")
        .abbreviateSynopsis(true)
        .sortOptions(false);
    CommandModels.addAll(spec, verification.optionSpecs());
    CommandModels.addAll(spec, registry.optionSpecs());
    CommandModels.addAll(spec, output.optionSpecs());
    spec.addOption(jobs);
    spec.addPositional(files);
    CommandModels.standardHelp(spec);
  }

  /**
   * Takes a run of FILE arguments at once, up to the next argument picocli must look at itself
   * (anything starting with {@code -}, or an option or subcommand name). Picocli's own handling of
   * a positional argument tests each one for a number (two exceptions per file) and against every
   * option name, about a twentieth of a 2000-document batch on one core; this consumer leaves the
   * parse unchanged: picocli still decides about the first argument of every run, and every
   * argument that might be an option is handed back to it.
   */
  private static final class FileParameters implements IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
      List<String> files = argSpec.getValue();
      if (files == null) {
        files = new ArrayList<>();
        argSpec.setValue(files);
      }
      // Picocli has already decided that the first one is a FILE.
      files.add(args.pop());
      while (!args.isEmpty() && !mayBeOption(args.peek(), commandSpec)) {
        files.add(args.pop());
      }
    }

    private static boolean mayBeOption(String arg, CommandSpec spec) {
      if (arg.startsWith("-")
          || spec.optionsMap().containsKey(arg)
          || spec.subcommands().containsKey(arg)) {
        return true;
      }
      int separator = arg.indexOf(spec.parser().separator());
      return separator > 0 && spec.optionsMap().containsKey(arg.substring(0, separator));
    }
  }

  /** Verifies every file; returns 0 when all verified, 1 when any was rejected. */
  @Override
  public Integer call() throws JsonProcessingException {
    Integer given = jobs.getValue();
    int threads = given == null ? Runtime.getRuntime().availableProcessors() : given;
    if (threads < 1) {
      throw new ParameterException(spec.commandLine(), "--jobs must be at least 1, not " + threads);
    }
    // Several files are read on a thread of their own while the verifier is set up and the first
    // documents are verified, whatever --jobs is; its usage errors still come first, as the batch
    // reports a read error only once it verifies.
    List<String> paths = CommandModels.values(files);
    InOrderBatch batch =
        paths.size() == 1
            ? null
            : InOrderBatch.readInBackground(paths, this::read, Math.min(threads, paths.size()));
    VerificationOptions options = verification.options();
    Optional<RegistryContext> registryContext = registry.load(clock, environment);
    AttestationVerifier verifier =
        verification.verifier(
            clock, registryContext.map(RegistryContext::extraAnchors).orElse(List.of()));
    // Jackson is loaded only for --json: it is most of the classes a plain run would load.
    ObjectMapper json = output.json() ? JsonMapper.builder().build() : null;
    Report report =
        input -> {
          VerificationResult result = verifier.verify(input.content().toByteArray(), options);
          RegistryReport registryReport = registryContext.map(r -> r.evaluate(result)).orElse(null);
          boolean accepted =
              result.verified() && (registryReport == null || !registryReport.failed());
          return new Verdict(
              render(json, input, result, registryReport),
              accepted
                  ? Optional.empty()
                  : Optional.of(
                      NextSteps.forDocument(result, Optional.ofNullable(registryReport))));
        };
    PrintWriter out = spec.commandLine().getOut();
    Optional<String> firstRejection =
        batch == null ? single(read(paths.get(0)), report, out) : batch.verify(report, out);
    // The advice for the first rejected document, in input order whatever --jobs is.
    firstRejection.ifPresent(step -> CliSupport.next(spec.commandLine().getErr(), step));
    return firstRejection.isEmpty() ? CliSupport.OK : CliSupport.REJECTED;
  }

  /**
   * One document's printed report and, when it was rejected, the step for the closing {@code Next:}
   * line ({@link NextSteps#forDocument}).
   */
  record Verdict(String text, Optional<String> next) {}

  /** Verifies one document and renders its report; called from any thread. */
  @FunctionalInterface
  interface Report {
    Verdict of(DocumentInput input) throws JsonProcessingException;
  }

  private static Optional<String> single(DocumentInput input, Report report, PrintWriter out)
      throws JsonProcessingException {
    Verdict verdict = report.of(input);
    InOrderBatch.print(out, verdict);
    return verdict.next();
  }

  /** The report of one document as printed: the NDJSON line, or the human-readable report. */
  private String render(
      ObjectMapper json,
      DocumentInput input,
      VerificationResult result,
      RegistryReport registryReport)
      throws JsonProcessingException {
    if (json != null) {
      return json.writeValueAsString(JsonReport.of(input, result, registryReport))
          + System.lineSeparator();
    }
    return HumanReport.render(input, result, registryReport, output.quiet());
  }

  private DocumentInput read(String file) {
    try {
      return DocumentInput.read(file);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), file + ": " + CliSupport.describe(e));
    }
  }
}
