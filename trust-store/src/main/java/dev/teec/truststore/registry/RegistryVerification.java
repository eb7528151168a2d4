package dev.teec.truststore.registry;

import dev.teec.verifier.CheckStatus;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of verifying a signed registry: every check in the order it ran, the parsed registry
 * when the payload could be read (verified or not, for display), and the verified registry when
 * every check passed.
 */
public final class RegistryVerification {
  private final List<RegistryCheck> checks;
  private final Registry parsed;
  private final VerifiedRegistry verified;

  RegistryVerification(List<RegistryCheck> checks, Registry parsed, VerifiedRegistry verified) {
    this.checks = List.copyOf(checks);
    this.parsed = parsed;
    this.verified = verified;
  }

  /** Every check, in order: format, signature, validity, version. */
  public List<RegistryCheck> checks() {
    return checks;
  }

  /** True exactly when no check failed. */
  public boolean verified() {
    return verified != null;
  }

  /** The verified registry, present exactly when {@link #verified()}. */
  public Optional<VerifiedRegistry> verifiedRegistry() {
    return Optional.ofNullable(verified);
  }

  /** The payload as parsed, even when a check failed; not to be trusted for decisions. */
  public Optional<Registry> parsed() {
    return Optional.ofNullable(parsed);
  }

  /** The failed checks. */
  public List<RegistryCheck> failures() {
    return checks.stream().filter(RegistryCheck::failed).toList();
  }

  /**
   * The checks that passed with a warning, such as a rollback the caller allowed: whatever trusts
   * this registry must show them.
   */
  public List<RegistryCheck> warnings() {
    return checks.stream().filter(c -> c.status() == CheckStatus.WARN).toList();
  }
}
