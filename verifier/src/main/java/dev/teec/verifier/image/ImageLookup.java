package dev.teec.verifier.image;

import java.util.Objects;

/**
 * What an {@link ImageRegistry} knows about one set of measurements.
 *
 * @param outcome whether the image is known and active
 * @param imageId the registry's id of the image, or null when unknown
 * @param detail one sentence for the report, such as why an entry is inactive
 */
public record ImageLookup(Outcome outcome, String imageId, String detail) {
  /** The three answers a registry gives. */
  public enum Outcome {
    /** A known image, valid at the time asked about. */
    ACTIVE,
    /** A known image that is revoked, expired or not yet valid at that time. */
    INACTIVE,
    /** No entry has these measurements. */
    UNKNOWN
  }

  /** Validates: a known image has an id. */
  public ImageLookup {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
    if (outcome != Outcome.UNKNOWN) {
      Objects.requireNonNull(imageId, "imageId of a known image");
    }
  }

  /** An active entry. */
  public static ImageLookup active(String imageId, String detail) {
    return new ImageLookup(Outcome.ACTIVE, imageId, detail);
  }

  /** A known but inactive entry. */
  public static ImageLookup inactive(String imageId, String detail) {
    return new ImageLookup(Outcome.INACTIVE, imageId, detail);
  }

  /** A registry miss. */
  public static ImageLookup unknown(String detail) {
    return new ImageLookup(Outcome.UNKNOWN, null, detail);
  }
}
