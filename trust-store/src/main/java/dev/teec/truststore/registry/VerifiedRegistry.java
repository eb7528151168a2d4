package dev.teec.truststore.registry;

import java.util.List;
import java.util.Objects;

/**
 * A registry whose signatures, validity window and version were verified by {@link
 * RegistryVerifier}; only the verifier constructs one, so holding one means those checks passed.
 */
public final class VerifiedRegistry {
  private final Registry registry;
  private final List<String> signers;

  VerifiedRegistry(Registry registry, List<String> signers) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.signers = List.copyOf(signers);
  }

  /** The verified content. */
  public Registry registry() {
    return registry;
  }

  /** The key ids of the pinned keys whose signatures verified. */
  public List<String> signers() {
    return signers;
  }
}
