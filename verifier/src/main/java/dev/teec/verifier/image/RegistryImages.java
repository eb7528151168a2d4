package dev.teec.verifier.image;

import dev.teec.truststore.image.ImageMatch;
import dev.teec.truststore.image.ImageMatcher;
import dev.teec.truststore.registry.RegistryVerification;
import dev.teec.verifier.Bytes;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * A signed registry (spec R3, R4) as the bundle verifier's {@link ImageRegistry}. A registry that
 * did not verify knows no image, so every lookup fails and says why: a bundle is never accepted on
 * the word of an unsigned, expired or rolled-back registry.
 */
public final class RegistryImages implements ImageRegistry {
  private final RegistryVerification verification;
  private final String source;

  /**
   * @param verification the registry as {@link dev.teec.truststore.registry.RegistryVerifier}
   *     verified it, with pinned keys, threshold and version store
   * @param source how to name the registry in reports, such as its file name
   */
  public RegistryImages(RegistryVerification verification, String source) {
    this.verification = Objects.requireNonNull(verification, "verification");
    this.source = Objects.requireNonNull(source, "source");
  }

  /** The registry's own verification. */
  public RegistryVerification verification() {
    return verification;
  }

  @Override
  public String describe() {
    return verification
        .verifiedRegistry()
        .map(r -> "registry " + source + " (version " + r.registry().version() + ")")
        .orElse("registry " + source);
  }

  /** The registry checks that passed with a warning (such as an allowed rollback), as sentences. */
  @Override
  public List<String> warnings() {
    return verification.warnings().stream().map(c -> c.id() + ": " + c.detail()).toList();
  }

  @Override
  public ImageLookup lookup(SortedMap<Integer, Bytes> pcrs, Instant at) {
    var verified = verification.verifiedRegistry();
    if (verified.isEmpty()) {
      return ImageLookup.unknown(
          "the registry did not verify ("
              + verification.failures().stream()
                  .map(c -> c.id() + ": " + c.detail())
                  .collect(Collectors.joining("; "))
              + "), so no image is trusted");
    }
    ImageMatch match = new ImageMatcher(verified.get()).match(pcrs, at);
    return switch (match.outcome()) {
      case MATCHED -> ImageLookup.active(match.image().orElseThrow().id(), match.detail());
      case REVOKED, OUTSIDE_VALIDITY ->
          ImageLookup.inactive(match.image().orElseThrow().id(), match.detail());
      case UNKNOWN_PCRS -> ImageLookup.unknown(match.detail());
    };
  }
}
