package dev.teec.verifier;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The instant T at which certificate validity is judged.
 *
 * <p>{@link #now()} suits live use. {@link #document()} uses the document's own signed timestamp:
 * what an offline auditor needs, since real leaf certificates live about three hours. {@link
 * #at(Instant)} fixes T explicitly.
 */
public final class VerificationTime {
  /** How T was chosen; reported in every result. */
  public enum Mode {
    NOW,
    DOCUMENT,
    FIXED
  }

  private static final VerificationTime NOW = new VerificationTime(Mode.NOW, null);
  private static final VerificationTime DOCUMENT = new VerificationTime(Mode.DOCUMENT, null);

  private final Mode mode;
  private final Instant fixed;

  private VerificationTime(Mode mode, Instant fixed) {
    this.mode = mode;
    this.fixed = fixed;
  }

  /** T is the verifier clock's current instant. */
  public static VerificationTime now() {
    return NOW;
  }

  /** T is the document's signed timestamp. */
  public static VerificationTime document() {
    return DOCUMENT;
  }

  /** T is {@code instant}. */
  public static VerificationTime at(Instant instant) {
    return new VerificationTime(Mode.FIXED, Objects.requireNonNull(instant, "instant"));
  }

  /**
   * Parses {@code now}, {@code document} or an ISO-8601 instant such as {@code
   * 2024-05-01T12:00:00Z}.
   *
   * @throws IllegalArgumentException with the accepted forms, if {@code text} is none of them
   */
  public static VerificationTime parse(String text) {
    switch (text) {
      case "now":
        return NOW;
      case "document":
        return DOCUMENT;
      default:
        try {
          return at(Instant.parse(text));
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "'"
                  + text
                  + "' is not 'now', 'document' or an ISO-8601 instant like 2024-05-01T12:00:00Z",
              e);
        }
    }
  }

  public Mode mode() {
    return mode;
  }

  /** The fixed instant, present only in {@link Mode#FIXED}. */
  public Optional<Instant> fixedInstant() {
    return Optional.ofNullable(fixed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerificationTime other
        && mode == other.mode
        && Objects.equals(fixed, other.fixed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, fixed);
  }

  @Override
  public String toString() {
    return mode == Mode.FIXED ? fixed.toString() : mode.name().toLowerCase(java.util.Locale.ROOT);
  }
}
