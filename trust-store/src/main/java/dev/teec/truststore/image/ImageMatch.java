package dev.teec.truststore.image;

import dev.teec.truststore.registry.ImageEntry;
import java.util.Objects;
import java.util.Optional;

/**
 * Which image a set of PCRs belongs to, or why none does.
 *
 * @param outcome the verdict
 * @param image the matched entry; for {@link Outcome#REVOKED} and {@link Outcome#OUTSIDE_VALIDITY}
 *     the entry whose PCRs matched but which may not be trusted; empty for {@link
 *     Outcome#UNKNOWN_PCRS}
 * @param detail one sentence for people
 */
public record ImageMatch(Outcome outcome, Optional<ImageEntry> image, String detail) {
  /** The possible verdicts; only {@link #MATCHED} means the image is trusted. */
  public enum Outcome {
    /** The PCRs are those of an active image valid at the given time. */
    MATCHED,
    /** No image in the registry has these PCRs. */
    UNKNOWN_PCRS,
    /** Only revoked images have these PCRs. */
    REVOKED,
    /** An active image has these PCRs but is not valid at the given time. */
    OUTSIDE_VALIDITY
  }

  public ImageMatch {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(detail, "detail");
    if ((outcome == Outcome.UNKNOWN_PCRS) == image.isPresent()) {
      throw new IllegalArgumentException("an image is named exactly when its PCRs matched");
    }
  }

  /** True when the PCRs belong to a trusted image. */
  public boolean matched() {
    return outcome == Outcome.MATCHED;
  }
}
