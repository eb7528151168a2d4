package dev.teec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.teec.verifier.bundle.BundleVerification;
import dev.teec.verifier.bundle.BundleVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code teec-verify bundle BUNDLE...}: verifies build bundles (SPEC.md C2) with {@link
 * BundleVerifier} and prints the results.
 *
 * <h2>JSON output</h2>
 *
 * One object per bundle and line (NDJSON):
 *
 * <pre>
 * {
 *   "input":      string    the path as given
 *   "verified":   boolean   true exactly when no check failed
 *   "simulated":  boolean   attested under the local simulated root
 *   "failures":   [string]  ids of the failed checks, in order
 *   "warnings":   [string]  ids of the checks that passed with a warning
 *   "checks":     [{"id": string, "status": "PASS"|"FAIL"|"WARN"|"SKIP", "detail": string}]
 *   "report":     null when teec/report.json is not a valid report, else {
 *       "builderId", "builderVersion" {component: version},
 *       "source" {"uri", "commit", "tree", "archiveSha256", "dirty"},
 *       "image" {"pcrs" {"0": hex, ...}, "registryId"},
 *       "language", "command", "invocationId", "startedOn", "finishedOn", "exitCode",
 *       "dependencies" (number of fetched network resources), "networkIsolated",
 *       "subjects" {name: sha256} }
 *   "artifacts":  [{"name", "sha256" (of the file), "expected" (the report's, or null),
 *                   "location" ("bundle" or the user's path),
 *                   "status" "verified"|"mismatch"|"unlisted"|"unchecked"}]
 *   "attestation": the doc JSON of teec/attestation.cbor, or null when the tar could not be read
 *   "subjects":   name to SHA-256 from the report, or null
 * }
 * </pre>
 */
@Command(
    name = "bundle",
    description = {
      "Verify build bundles: the tar's structure, the attestation, the image, the binding of the"
          + " report to the attestation, the DSSE signature, the report, every artifact's digest"
          + " and the expectations given."
    },
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    abbreviateSynopsis = true,
    sortOptions = false,
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      CliSupport.EXIT_OK,
      CliSupport.EXIT_REJECTED,
      CliSupport.EXIT_USAGE,
      CliSupport.EXIT_INTERNAL
    })
public final class VerifyBundleCommand implements Callable<Integer> {
  private final Clock clock;
  private final Map<String, String> environment;

  @Spec private CommandSpec spec;

  private final VerificationMixin verification = new VerificationMixin();

  @Mixin private CommandSpec verificationOptions = CommandModels.mixin(verification.optionSpecs());

  @Mixin private BundleTrustMixin trust;

  private final OutputMixin output = new OutputMixin();

  @Mixin private CommandSpec outputOptions = CommandModels.mixin(output.optionSpecs());

  @Option(
      names = "--artifact",
      paramLabel = "NAME=PATH",
      description = {
        "Also check that the file at PATH has the digest the report records for NAME. Repeatable,"
            + " once per NAME."
      })
  private List<String> artifacts = new ArrayList<>();

  @Option(
      names = "--artifacts",
      paramLabel = "DIR",
      description = {
        "Also check the files of DIR, the directory you ship: each must be a report subject"
            + " (at DIR/NAME) with the digest the report records, and at least one must be there."
      })
  private Path artifactDirectory;

  @Mixin private SourceExpectationMixin source;

  @Option(
      names = "--expect-builder",
      paramLabel = "IMAGE-ID",
      description = {
        "Require the build to have run in this image: its PCR0 in hex (which also identifies"
            + " the image), or its id in --registry. The report's own claim is never trusted, so"
            + " a registry id without --registry is a usage error."
      })
  private String expectedBuilder;

  @Parameters(arity = "1..*", paramLabel = "BUNDLE", description = "Bundles (tar) to verify.")
  private List<Path> bundles;

  /**
   * @param clock the source of "now"
   * @param environment where TEEC_HOME is looked up (tests pass their own)
   */
  public VerifyBundleCommand(Clock clock, Map<String, String> environment) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Integer call() throws IOException {
    BundleVerifier verifier = verifier();
    PrintWriter out = spec.commandLine().getOut();
    // Made only for --json: building a mapper loads some 500 classes, a large part of a single
    // call's start-up (issue 13).
    ObjectMapper json = output.json() ? JsonMapper.builder().build() : null;
    boolean all = true;
    List<BundleVerification> results = new ArrayList<>();
    for (Path bundle : bundles) {
      BundleVerification result = verifier.verify(bundle);
      results.add(result);
      all &= result.verified();
      if (output.json()) {
        out.println(json.writeValueAsString(BundleJson.of(result)));
      } else {
        BundleHumanReport.print(out, result, output.quiet());
      }
      out.flush();
    }
    NextSteps.afterBundles(results)
        .ifPresent(step -> CliSupport.next(spec.commandLine().getErr(), step));
    return all ? CliSupport.OK : CliSupport.REJECTED;
  }

  private BundleVerifier verifier() {
    for (Path b : bundles) {
      if (!Files.isRegularFile(b)) {
        throw usage(b + ": no such file");
      }
    }
    BundleVerifier.Builder b = trust.verifierBuilder(verification, clock, environment);
    Map<String, Path> files = new LinkedHashMap<>();
    for (String artifact : artifacts) {
      int eq = artifact.indexOf('=');
      if (eq <= 0 || eq == artifact.length() - 1) {
        throw usage("--artifact " + artifact + ": expected NAME=PATH");
      }
      String name = artifact.substring(0, eq);
      Path path;
      try {
        path = Path.of(artifact.substring(eq + 1));
      } catch (InvalidPathException e) {
        throw usage("--artifact " + artifact + ": " + e.getMessage());
      }
      if (files.putIfAbsent(name, path) != null) {
        // One file per subject: two would leave it open which one the verdict is about.
        throw usage(
            "--artifact " + name + " is given twice (" + files.get(name) + ", " + path + ")");
      }
      if (!Files.isRegularFile(path)) {
        throw usage("--artifact " + name + "=" + path + ": no such file");
      }
      b.artifactFile(name, path);
    }
    if (artifactDirectory != null) {
      if (!Files.isDirectory(artifactDirectory)) {
        throw usage("--artifacts " + artifactDirectory + ": not a directory");
      }
      b.artifactDirectory(artifactDirectory);
    }
    source.applyTo(b);
    if (expectedBuilder != null) {
      try {
        b.expectBuilder(expectedBuilder);
      } catch (IllegalArgumentException e) {
        throw usage("--expect-builder: " + e.getMessage());
      }
      if (!trust.hasRegistry() && !BundleVerifier.isPcr0(expectedBuilder)) {
        throw usage(
            "--expect-builder "
                + expectedBuilder
                + ": a registry image id needs --registry (the report's own claim is never"
                + " trusted); without a registry, give the image's PCR0 (96 hex digits)");
      }
    }
    return b.build();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
