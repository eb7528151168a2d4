package dev.teec.cli.registry;

import com.nimbusds.jose.jwk.JWKSet;
import dev.teec.cli.CliFiles;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.truststore.registry.RegistryVerification;
import dev.teec.truststore.registry.RegistryVerifier;
import dev.teec.truststore.registry.RegistryVersionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The pinned keys, threshold and minimum version with which registry commands verify. */
final class KeyOptions {
  @Option(
      names = "--keys",
      paramLabel = "JWKS",
      description = "The pinned maintainer public keys (JWK set).")
  Path keys;

  @Option(
      names = "--threshold",
      paramLabel = "K",
      defaultValue = "1",
      description = "How many distinct pinned keys must have signed. Default: ${DEFAULT-VALUE}.")
  int threshold;

  @Option(
      names = "--min-version",
      paramLabel = "N",
      description = "Reject registries whose version is below N (rollback protection).")
  Long minVersion;

  /**
   * Verifies {@code envelope}; usage errors for unreadable keys or impossible settings. The
   * maintainers' commands check drafts and old versions too, so nothing is remembered: only {@code
   * --min-version} guards against rollback here.
   */
  RegistryVerification verify(CommandLine cmd, byte[] envelope, Clock clock) {
    return verifier(cmd, "--keys", keys, threshold, minVersion, clock, b -> {}).verify(envelope);
  }

  /**
   * A verifier for the pinned keys in the file {@code keys}, with {@code configure} applied last.
   *
   * @throws ParameterException naming {@code option} when the keys cannot be read or the settings
   *     are impossible
   */
  static RegistryVerifier verifier(
      CommandLine cmd,
      String option,
      Path keys,
      int threshold,
      Long minVersion,
      Clock clock,
      Consumer<RegistryVerifier.Builder> configure) {
    JWKSet set;
    try {
      set =
          MaintainerKeys.parsePublicSet(
              new String(CliFiles.read(cmd, option + " ", keys), StandardCharsets.UTF_8));
    } catch (RegistryFormatException e) {
      throw new ParameterException(cmd, option + " " + keys + ": " + e.getMessage());
    }
    try {
      RegistryVerifier.Builder b =
          RegistryVerifier.builder()
              .keys(set)
              .threshold(threshold)
              .clock(clock)
              .versionStore(RegistryVersionStore.none());
      if (minVersion != null) {
        b.minVersion(minVersion);
      }
      configure.accept(b);
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ParameterException(cmd, e.getMessage());
    }
  }
}
