package dev.teec.truststore.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether an image may be trusted: {@link #active()}, or revoked with a reason and a time.
 *
 * @param revoked true when the image is revoked
 * @param reason why it was revoked; empty for active images
 * @param revokedAt when it was revoked; empty for active images
 */
public record ImageStatus(boolean revoked, Optional<String> reason, Optional<Instant> revokedAt) {
  private static final ImageStatus ACTIVE =
      new ImageStatus(false, Optional.empty(), Optional.empty());

  public ImageStatus {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(revokedAt, "revokedAt");
    if (revoked != reason.isPresent() || revoked != revokedAt.isPresent()) {
      throw new IllegalArgumentException(
          "a revoked status has a reason and a time, an active one neither");
    }
    if (reason.isPresent() && reason.get().isBlank()) {
      throw new IllegalArgumentException("a revocation reason must not be blank");
    }
  }

  /** The image may be trusted. */
  public static ImageStatus active() {
    return ACTIVE;
  }

  /** The image must no longer be trusted. */
  public static ImageStatus revoked(String reason, Instant at) {
    return new ImageStatus(true, Optional.of(reason), Optional.of(at));
  }

  /** {@code active} or {@code revoked}, as in the JSON. */
  public String state() {
    return revoked ? "revoked" : "active";
  }
}
