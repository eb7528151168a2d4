package dev.teec.truststore.registry;

import dev.teec.verifier.Bytes;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One enclave image the registry vouches for.
 *
 * @param id stable identifier, e.g. {@code rust-1.83-cargo}: lowercase letters, digits, {@code .},
 *     {@code _} and {@code -}
 * @param language the build language the image serves, as in build.json, e.g. {@code rust}
 * @param toolchain tool name to version, e.g. {@code rust=1.83.0, cargo=1.83.0}; never empty
 * @param description one line for people
 * @param recipe where the image's recipe lives
 * @param pcrs the EIF's PCR0, PCR1, PCR2 and, for signed EIFs, PCR8; 48 bytes each
 * @param validFrom the first instant the image is trusted
 * @param validUntil the instant from which it is no longer trusted, if any
 * @param status active, or revoked with a reason
 */
public record ImageEntry(
    String id,
    String language,
    SortedMap<String, String> toolchain,
    String description,
    Recipe recipe,
    SortedMap<Integer, Bytes> pcrs,
    Instant validFrom,
    Optional<Instant> validUntil,
    ImageStatus status) {
  /** The PCR indexes an entry may pin; 0, 1 and 2 are required. */
  public static final Set<Integer> ALLOWED_PCRS = Set.of(0, 1, 2, 8);

  public ImageEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(recipe, "recipe");
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(validUntil, "validUntil");
    Objects.requireNonNull(status, "status");
    if (!id.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException(
          "image id must be 1-64 of a-z 0-9 . _ - starting with a letter or"
              + " digit, got '"
              + id
              + "'");
    }
    if (!language.matches("[a-z0-9][a-z0-9._+-]{0,31}")) {
      throw new IllegalArgumentException(
          "language must be a lowercase name, got '" + language + "'");
    }
    toolchain =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(Objects.requireNonNull(toolchain, "toolchain")));
    if (toolchain.isEmpty()) {
      throw new IllegalArgumentException("toolchain must name at least one tool and its version");
    }
    toolchain.forEach(
        (tool, version) -> {
          if (tool.isBlank() || version.isBlank()) {
            throw new IllegalArgumentException("toolchain names and versions must not be blank");
          }
        });
    pcrs = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(pcrs, "pcrs")));
    for (int required = 0; required <= 2; required++) {
      if (!pcrs.containsKey(required)) {
        throw new IllegalArgumentException("PCR" + required + " is required");
      }
    }
    for (Map.Entry<Integer, Bytes> e : pcrs.entrySet()) {
      if (!ALLOWED_PCRS.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "PCR" + e.getKey() + " is not measured from an EIF; allowed: 0, 1, 2, 8");
      }
      if (e.getValue().length() != 48) {
        throw new IllegalArgumentException(
            "PCR" + e.getKey() + " must be 48 bytes (SHA-384), got " + e.getValue().length());
      }
    }
    if (validUntil.isPresent() && !validUntil.get().isAfter(validFrom)) {
      throw new IllegalArgumentException("validUntil must be after validFrom");
    }
  }

  /** A copy with another status. */
  public ImageEntry withStatus(ImageStatus newStatus) {
    return new ImageEntry(
        id, language, toolchain, description, recipe, pcrs, validFrom, validUntil, newStatus);
  }

  /** True when {@code at} lies in [validFrom, validUntil). */
  public boolean validAt(Instant at) {
    return !at.isBefore(validFrom) && validUntil.map(at::isBefore).orElse(true);
  }
}
