package dev.teec.cli.registry;

import dev.teec.cli.bundle.ImageLookup;
import dev.teec.cli.bundle.ImageRegistry;
import dev.teec.truststore.image.ImageMatch;
import dev.teec.truststore.image.ImageMatcher;
import dev.teec.verifier.Bytes;
import java.time.Instant;
import java.util.Objects;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * A signed registry as the bundle verifier's {@link ImageRegistry}. A registry that did not verify
 * knows no image, so every lookup fails and says why: a bundle is never accepted on the word of an
 * unsigned, expired or rolled-back registry.
 */
public final class RegistryImages implements ImageRegistry {
  private final RegistryContext context;
  private final String source;

  /**
   * @param context the loaded registry (from {@link RegistryOptions#load})
   * @param source how to name the registry in reports, such as its file name
   */
  public RegistryImages(RegistryContext context, String source) {
    this.context = Objects.requireNonNull(context, "context");
    this.source = Objects.requireNonNull(source, "source");
  }

  /** The registry roots the caller asked for by id; trusted only because the registry verified. */
  public java.util.List<java.security.cert.X509Certificate> extraAnchors() {
    return context.extraAnchors();
  }

  @Override
  public String describe() {
    return context
        .verification()
        .verifiedRegistry()
        .map(r -> "registry " + source + " (version " + r.registry().version() + ")")
        .orElse("registry " + source);
  }

  @Override
  public ImageLookup lookup(SortedMap<Integer, Bytes> pcrs, Instant at) {
    var verified = context.verification().verifiedRegistry();
    if (verified.isEmpty()) {
      return ImageLookup.unknown(
          "the registry did not verify ("
              + context.verification().failures().stream()
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
