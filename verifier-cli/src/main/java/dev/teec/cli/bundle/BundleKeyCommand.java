package dev.teec.cli.bundle;

import dev.teec.cli.BundleHumanReport;
import dev.teec.cli.BundleTrustMixin;
import dev.teec.cli.CliSupport;
import dev.teec.cli.CommandModels;
import dev.teec.cli.NextSteps;
import dev.teec.cli.VerificationMixin;
import dev.teec.formats.report.EnvelopeCurve;
import dev.teec.verifier.bundle.BundleVerification;
import dev.teec.verifier.bundle.VerifiedBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
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
 * {@code teec bundle key BUNDLE}: the public key of a bundle's DSSE envelope as PEM, for {@code
 * cosign verify-blob-attestation --key} (SPEC.md C9, W5).
 *
 * <p>The key is printed only after the bundle verifies with the checks and trust options of {@code
 * teec-verify bundle}: cosign checks the envelope against whatever key it is given and nothing of
 * the attestation, so a key read from a bundle that was not verified would let a forged bundle pass
 * cosign. The PEM goes to stdout alone (for {@code > key.pem}); the verdict and what cosign does
 * and does not check go to stderr.
 */
@Command(
    name = "key",
    description = {
      "Print the key that signed a bundle's teec/report.dsse.json, as PEM, for cosign"
          + " verify-blob-attestation --key.",
      "The bundle is verified first, with the checks and trust options of teec verify bundle, and"
          + " the key is printed only if it verifies. cosign then checks with it only the"
          + " envelope's signature, its payload type and statement, and the artifact's SHA-256:"
          + " not the attestation, the image, the source or the report's binding, which this"
          + " command verified."
    },
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    sortOptions = false,
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:the bundle verified; its key is on stdout",
      "1:the bundle was rejected; no key printed",
      CliSupport.EXIT_USAGE,
      CliSupport.EXIT_INTERNAL
    })
final class BundleKeyCommand implements Callable<Integer> {
  private final Clock clock;
  private final Map<String, String> environment;

  @Spec private CommandSpec spec;

  private final VerificationMixin verification = new VerificationMixin();

  @Mixin private CommandSpec verificationOptions = CommandModels.mixin(verification.optionSpecs());

  @Mixin private BundleTrustMixin trust;

  @Option(names = CliSupport.STACKTRACE, hidden = true)
  private boolean stacktrace;

  @Parameters(paramLabel = "BUNDLE", description = "The bundle (tar).")
  private Path bundle;

  /**
   * @param clock the source of "now" for verification
   * @param environment where TEEC_HOME is looked up for --simulated
   */
  BundleKeyCommand(Clock clock, Map<String, String> environment) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Integer call() throws IOException, InvalidKeyException {
    if (!Files.isRegularFile(bundle)) {
      throw new ParameterException(spec.commandLine(), bundle + ": no such file");
    }
    BundleVerification v =
        trust.verifierBuilder(verification, clock, environment).build().verify(bundle);
    PrintWriter err = spec.commandLine().getErr();
    if (!v.verified()) {
      BundleHumanReport.print(err, v, false);
      err.println(
          "teec bundle key: no key printed: the key of a bundle that does not verify proves"
              + " nothing.");
      CliSupport.next(err, NextSteps.afterBundles(List.of(v)).orElseThrow());
      return CliSupport.REJECTED;
    }
    VerifiedBundle verified = v.verifiedBundle().orElseThrow();
    // bundle.dsse passed, so the attestation carries a key in the canonical encoding.
    ECPublicKey key =
        EnvelopeCurve.decodePublicKey(
            verified.attestation().document().publicKey().orElseThrow().toByteArray());
    EnvelopeCurve curve = EnvelopeCurve.of(key);
    spec.commandLine().getOut().print(EnvelopeCurve.toPem(key));
    spec.commandLine().getOut().flush();
    err.println(BundleHumanReport.verdict(v));
    err.println(
        "key: the "
            + curve.displayName()
            + " public_key of its verified attestation, which signed teec/report.dsse.json.");
    err.println(
        "cosign verify-blob-attestation --key checks with it only the envelope's signature, payload"
            + " type and statement, and the artifact's SHA-256; not the attestation, image or"
            + " source.");
    if (curve != EnvelopeCurve.P256) {
      err.println(
          "note: this bundle predates P-256 envelopes: cosign 2.x cannot verify its "
              + curve.displayName()
              + " envelope (it hashes with SHA-256 for a PEM key); teec verify bundle can.");
    }
    err.flush();
    return CliSupport.OK;
  }
}
