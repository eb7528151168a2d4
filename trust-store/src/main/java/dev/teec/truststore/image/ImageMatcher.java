package dev.teec.truststore.image;

import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.VerifiedRegistry;
import dev.teec.verifier.Bytes;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds images in a verified registry (SPEC.md section R4). Only a {@link VerifiedRegistry} is
 * accepted, so an unverified registry can never make PCRs look trusted.
 */
public final class ImageMatcher {
  private final VerifiedRegistry registry;

  /** A matcher over {@code registry}. */
  public ImageMatcher(VerifiedRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * The image whose pinned PCRs all equal those in {@code pcrs}. An entry pins PCR0, PCR1, PCR2
   * and, for signed EIFs, PCR8; PCRs the entry does not pin are ignored. An active entry valid at
   * {@code at} wins over a revoked one or one outside its validity window.
   *
   * @param pcrs the attested PCRs by index
   * @param at the instant the image must be valid at (the attestation document's timestamp)
   */
  public ImageMatch match(Map<Integer, Bytes> pcrs, Instant at) {
    List<ImageEntry> candidates =
        registry.registry().images().stream()
            .filter(
                image ->
                    image.pcrs().entrySet().stream()
                        .allMatch(
                            e ->
                                pcrs.containsKey(e.getKey())
                                    && pcrs.get(e.getKey()).constantTimeEquals(e.getValue())))
            .toList();
    Optional<ImageEntry> trusted =
        candidates.stream().filter(i -> !i.status().revoked() && i.validAt(at)).findFirst();
    if (trusted.isPresent()) {
      ImageEntry i = trusted.get();
      return new ImageMatch(
          ImageMatch.Outcome.MATCHED,
          trusted,
          "image "
              + i.id()
              + " ("
              + i.language()
              + " "
              + tools(i)
              + ") of registry version "
              + registry.registry().version()
              + ", signed by "
              + String.join(", ", registry.signers()));
    }
    Optional<ImageEntry> outside =
        candidates.stream().filter(i -> !i.status().revoked()).findFirst();
    if (outside.isPresent()) {
      ImageEntry i = outside.get();
      return new ImageMatch(
          ImageMatch.Outcome.OUTSIDE_VALIDITY,
          outside,
          "image "
              + i.id()
              + " matches but is valid only from "
              + i.validFrom()
              + i.validUntil().map(u -> " until " + u).orElse("")
              + ", not at "
              + at);
    }
    if (!candidates.isEmpty()) {
      ImageEntry i = candidates.get(0);
      return new ImageMatch(
          ImageMatch.Outcome.REVOKED,
          Optional.of(i),
          "image "
              + i.id()
              + " matches but was revoked at "
              + i.status().revokedAt().orElseThrow()
              + ": "
              + i.status().reason().orElseThrow());
    }
    return new ImageMatch(
        ImageMatch.Outcome.UNKNOWN_PCRS,
        Optional.empty(),
        "unknown PCRs: no image of registry version "
            + registry.registry().version()
            + " has PCR0 "
            + Optional.ofNullable(pcrs.get(0)).map(Bytes::hex).orElse("(absent)"));
  }

  /**
   * The image to build with: active, valid at {@code at}, for {@code language}, and providing every
   * tool in {@code toolchain} at exactly the requested version (tools not requested may be
   * anything). Among several, the one valid from the latest instant, then the smallest id.
   */
  public Optional<ImageEntry> findFor(String language, Map<String, String> toolchain, Instant at) {
    return findFor(language, Optional.empty(), toolchain, at);
  }

  /**
   * The image for a build.json (SPEC.md W1): its {@code language}, and its optional {@code
   * toolchain} version string, which fits an image when one of the image's tools has exactly that
   * version or a version that starts with it followed by a dot ({@code 1.83} fits {@code 1.83.0}).
   */
  public Optional<ImageEntry> findFor(String language, Optional<String> toolchain, Instant at) {
    return findFor(language, toolchain, Map.of(), at);
  }

  /**
   * Both selections at once: the build.json {@code toolchain} version (if any) and exact {@code
   * tools}; among the active images valid at {@code at} that fit, the one valid from the latest
   * instant, then the smallest id.
   */
  public Optional<ImageEntry> findFor(
      String language, Optional<String> toolchain, Map<String, String> tools, Instant at) {
    return registry.registry().images().stream()
        .filter(i -> !i.status().revoked() && i.validAt(at) && i.language().equals(language))
        .filter(
            i ->
                tools.entrySet().stream()
                    .allMatch(t -> t.getValue().equals(i.toolchain().get(t.getKey()))))
        .filter(
            i ->
                toolchain
                    .map(
                        v ->
                            i.toolchain().values().stream()
                                .anyMatch(
                                    version -> version.equals(v) || version.startsWith(v + ".")))
                    .orElse(true))
        .max(
            Comparator.comparing(ImageEntry::validFrom)
                .thenComparing(ImageEntry::id, Comparator.reverseOrder()));
  }

  private static String tools(ImageEntry i) {
    StringBuilder sb = new StringBuilder();
    i.toolchain()
        .forEach(
            (tool, version) ->
                sb.append(sb.length() == 0 ? "" : ", ").append(tool).append(' ').append(version));
    return sb.toString();
  }
}
