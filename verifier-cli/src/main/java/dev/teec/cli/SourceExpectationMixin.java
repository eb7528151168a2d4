package dev.teec.cli;

import dev.teec.verifier.bundle.BundleVerifier;
import dev.teec.verifier.bundle.SourceExpectation;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --expect-source URI@COMMIT[:DIR]}, declared once for {@code teec-verify bundle} and {@code
 * teec challenge vote} so that both parse it the same way and hand it to the same check, the bundle
 * verifier's {@code bundle.expect.source}.
 */
public final class SourceExpectationMixin {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = "--expect-source",
      paramLabel = "URI@COMMIT[:DIR]",
      description = {
        "Require the report to record this repository URI and git commit, verified by the worker"
            + " (no uncommitted changes), and the repository's top directory or, with :DIR, that"
            + " directory."
      })
  private String expectedSource;

  /**
   * The expectation given, if any.
   *
   * @throws ParameterException if it is not {@code URI@COMMIT[:DIR]} with a valid commit id
   */
  public Optional<SourceExpectation> expectation() {
    if (expectedSource == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SourceExpectation.parse(expectedSource));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), "--expect-source: " + e.getMessage());
    }
  }

  /** Adds the expectation, if any, to {@code verifier}. */
  public void applyTo(BundleVerifier.Builder verifier) {
    expectation().ifPresent(verifier::expectSource);
  }
}
