package dev.teec.cli.registry;

import dev.teec.cli.CliFiles;
import dev.teec.cli.CommandModels;
import dev.teec.enclave.nsm.TeecHome;
import dev.teec.truststore.registry.ExtraRoot;
import dev.teec.truststore.registry.FileRegistryVersionStore;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistryVerification;
import dev.teec.truststore.registry.RegistryVersionStore;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The options with which a verification command matches attested PCRs to a signed registry (SPEC.md
 * R4), built in code ({@link CommandModels}). Add {@link #optionSpecs()} to a command, call {@link
 * #load} once before verifying, pass {@link RegistryContext#extraAnchors()} to the attestation
 * verifier, and {@link RegistryContext#evaluate} each result.
 */
public final class RegistryOptions {
  /** The subdirectory of the teec home where verified registry versions are remembered. */
  public static final String VERSION_DIRECTORY = "registry-versions";

  private final OptionSpec registry =
      path(
          "--registry",
          "FILE",
          "Require the document's PCRs to be those of an active image in this signed registry.");

  private final OptionSpec keys =
      path(
          "--registry-keys",
          "JWKS",
          "The pinned registry maintainer public keys (JWK set). Required with --registry.");

  private final OptionSpec threshold =
      OptionSpec.builder("--registry-threshold")
          .paramLabel("K")
          .type(Integer.class)
          .description("How many distinct pinned keys must have signed the registry. Default: 1.")
          .build();

  private final OptionSpec minVersion =
      OptionSpec.builder("--registry-min-version")
          .paramLabel("N")
          .type(Long.class)
          .description("Reject registries whose version is below N (rollback protection).")
          .build();

  private final OptionSpec allowRollback =
      CommandModels.flag("--registry-allow-rollback")
          .description(
              "Accept a registry older than the newest one verified before with the same keys"
                  + " (remembered in $TEEC_HOME/registry-versions); the output says so.")
          .build();

  private final OptionSpec extraRoots =
      CommandModels.repeatable(String.class, "--registry-extra-root")
          .paramLabel("ID")
          .description(
              "Also trust the registry's extra root with this id (e.g. the simulated root for local"
                  + " development). Honoured only when the registry verifies. Repeatable.")
          .build();

  private final List<OptionSpec> options =
      List.of(registry, keys, threshold, minVersion, allowRollback, extraRoots);

  private static OptionSpec path(String name, String label, String description) {
    return OptionSpec.builder(name)
        .paramLabel(label)
        .type(Path.class)
        .description(description)
        .build();
  }

  /** The options, for one command ({@link CommandModels}). */
  public List<OptionSpec> optionSpecs() {
    return options;
  }

  /** The registry file, when {@code --registry} was given. */
  public Optional<Path> file() {
    return Optional.ofNullable(registry.getValue());
  }

  /**
   * Reads and verifies the registry, or returns empty without {@code --registry}. The highest
   * version verified for the pinned keys is remembered in {@code $TEEC_HOME/registry-versions}
   * (spec R3), and an older registry is a rollback unless {@code --registry-allow-rollback}.
   *
   * @param environment where TEEC_HOME is looked up
   * @throws ParameterException if the options are inconsistent, a file cannot be read, the keys are
   *     malformed, or a requested extra root is not in the registry
   */
  public Optional<RegistryContext> load(Clock clock, Map<String, String> environment) {
    CommandLine commandLine = CommandModels.mixee(registry).commandLine();
    Path file = registry.getValue();
    Path keyFile = keys.getValue();
    Integer minimumSigners = threshold.getValue();
    Long minimumVersion = minVersion.getValue();
    boolean rollback = CommandModels.isSet(allowRollback);
    List<String> rootIds = CommandModels.values(extraRoots);
    if (file == null) {
      if (keyFile != null
          || minimumSigners != null
          || minimumVersion != null
          || rollback
          || !rootIds.isEmpty()) {
        throw new ParameterException(commandLine, "the --registry-* options need --registry FILE");
      }
      return Optional.empty();
    }
    if (keyFile == null) {
      throw new ParameterException(
          commandLine,
          "--registry needs --registry-keys JWKS: a registry is"
              + " trusted only through pinned maintainer keys");
    }
    byte[] bytes = CliFiles.read(commandLine, "--registry ", file);
    RegistryVersionStore versions =
        new FileRegistryVersionStore(versionDirectory(commandLine, environment));
    RegistryVerification verification =
        KeyOptions.verifier(
                commandLine,
                "--registry-keys",
                keyFile,
                minimumSigners == null ? 1 : minimumSigners,
                minimumVersion,
                clock,
                b -> {
                  b.versionStore(versions);
                  if (rollback) {
                    b.allowRollback();
                  }
                })
            .verify(bytes);
    List<X509Certificate> anchors = new ArrayList<>();
    if (!rootIds.isEmpty()) {
      Optional<Registry> parsed = verification.parsed();
      for (String id : rootIds) {
        Optional<ExtraRoot> root = parsed.flatMap(r -> r.extraRoot(id));
        if (parsed.isPresent() && root.isEmpty()) {
          throw new ParameterException(
              commandLine,
              "--registry-extra-root " + id + ": the registry has no" + " extra root with this id");
        }
        // Roots of a registry that failed verification are never trusted; its checks reject anyway.
        if (verification.verified()) {
          anchors.add(root.orElseThrow().certificate());
        }
      }
    }
    return Optional.of(new RegistryContext(verification, anchors));
  }

  private static Path versionDirectory(CommandLine commandLine, Map<String, String> environment) {
    try {
      return TeecHome.resolve(environment, System.getProperty("user.home"))
          .resolve(VERSION_DIRECTORY);
    } catch (RuntimeException e) {
      throw new ParameterException(commandLine, "--registry: " + e.getMessage());
    }
  }
}
