package dev.teec.cli.registry;

import dev.teec.cli.CliFiles;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options with which a verification command matches attested PCRs to a signed registry (SPEC.md
 * R4). Mix it into a command, call {@link #load} once before verifying, pass {@link
 * RegistryContext#extraAnchors()} to the attestation verifier, and {@link RegistryContext#evaluate}
 * each result.
 */
public final class RegistryOptions {
  /** The subdirectory of the teec home where verified registry versions are remembered. */
  public static final String VERSION_DIRECTORY = "registry-versions";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = "--registry",
      paramLabel = "FILE",
      description =
          "Require the document's PCRs to be those of an active image in this signed registry.")
  private Path registry;

  @Option(
      names = "--registry-keys",
      paramLabel = "JWKS",
      description =
          "The pinned registry maintainer public keys (JWK set). Required with --registry.")
  private Path keys;

  @Option(
      names = "--registry-threshold",
      paramLabel = "K",
      description = "How many distinct pinned keys must have signed the registry. Default: 1.")
  private Integer threshold;

  @Option(
      names = "--registry-min-version",
      paramLabel = "N",
      description = "Reject registries whose version is below N (rollback protection).")
  private Long minVersion;

  @Option(
      names = "--registry-allow-rollback",
      description = {
        "Accept a registry older than the newest one verified before with the same keys"
            + " (remembered in $TEEC_HOME/registry-versions); the output says so."
      })
  private boolean allowRollback;

  @Option(
      names = "--registry-extra-root",
      paramLabel = "ID",
      description = {
        "Also trust the registry's extra root with this id (e.g. the simulated root for local"
            + " development). Honoured only when the registry verifies. Repeatable."
      })
  private List<String> extraRoots = new ArrayList<>();

  /** The registry file, when {@code --registry} was given. */
  public Optional<Path> file() {
    return Optional.ofNullable(registry);
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
    if (registry == null) {
      if (keys != null
          || threshold != null
          || minVersion != null
          || allowRollback
          || !extraRoots.isEmpty()) {
        throw new ParameterException(
            mixee.commandLine(), "the --registry-* options need --registry FILE");
      }
      return Optional.empty();
    }
    if (keys == null) {
      throw new ParameterException(
          mixee.commandLine(),
          "--registry needs --registry-keys JWKS: a registry is"
              + " trusted only through pinned maintainer keys");
    }
    byte[] bytes = CliFiles.read(mixee.commandLine(), "--registry ", registry);
    RegistryVersionStore versions = new FileRegistryVersionStore(versionDirectory(environment));
    RegistryVerification verification =
        KeyOptions.verifier(
                mixee.commandLine(),
                "--registry-keys",
                keys,
                threshold == null ? 1 : threshold,
                minVersion,
                clock,
                b -> {
                  b.versionStore(versions);
                  if (allowRollback) {
                    b.allowRollback();
                  }
                })
            .verify(bytes);
    List<X509Certificate> anchors = new ArrayList<>();
    if (!extraRoots.isEmpty()) {
      Optional<Registry> parsed = verification.parsed();
      for (String id : extraRoots) {
        Optional<ExtraRoot> root = parsed.flatMap(r -> r.extraRoot(id));
        if (parsed.isPresent() && root.isEmpty()) {
          throw new ParameterException(
              mixee.commandLine(),
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

  private Path versionDirectory(Map<String, String> environment) {
    try {
      return TeecHome.resolve(environment, System.getProperty("user.home"))
          .resolve(VERSION_DIRECTORY);
    } catch (RuntimeException e) {
      throw new ParameterException(mixee.commandLine(), "--registry: " + e.getMessage());
    }
  }
}
