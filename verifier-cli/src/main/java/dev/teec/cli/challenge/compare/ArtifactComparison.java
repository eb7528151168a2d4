package dev.teec.cli.challenge.compare;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of comparing one artifact.
 *
 * @param name the artifact's declared path
 * @param verdict MATCH or MISMATCH
 * @param originalSha256 SHA-256 of the original, empty when only the rebuild has it
 * @param rebuiltSha256 SHA-256 of the rebuild, empty when the rebuild lacks it
 * @param difference for a MISMATCH where both exist, where they differ
 */
public record ArtifactComparison(
    String name,
    Verdict verdict,
    Optional<String> originalSha256,
    Optional<String> rebuiltSha256,
    Optional<FirstDifference> difference) {
  public ArtifactComparison {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(verdict, "verdict");
  }

  /** One line saying what differs, for people. */
  public String summary() {
    if (verdict == Verdict.MATCH) {
      return "identical";
    }
    if (rebuiltSha256.isEmpty()) {
      return "missing from the rebuild";
    }
    if (originalSha256.isEmpty()) {
      return "produced only by the rebuild";
    }
    FirstDifference d = difference.orElseThrow();
    StringBuilder b = new StringBuilder();
    b.append(
        d.originalSize() == d.rebuiltSize()
            ? "same size " + d.originalSize()
            : "size " + d.originalSize() + " -> " + d.rebuiltSize());
    b.append(", first difference at byte offset ").append(d.offset());
    if (d.offset() == Math.min(d.originalSize(), d.rebuiltSize())) {
      b.append(" (the ")
          .append(d.originalSize() < d.rebuiltSize() ? "original" : "rebuild")
          .append(" ends there)");
    }
    d.archive()
        .ifPresent(
            a -> {
              if (a.error() != null) {
                b.append("; ")
                    .append(a.format())
                    .append(" entries not compared: ")
                    .append(a.error());
              } else if (a.entriesIdentical()) {
                b.append("; all ")
                    .append(a.format())
                    .append(" entries identical (the archive structure differs)");
              } else {
                long changed =
                    a.entries().stream()
                        .filter(
                            e ->
                                !e.change().equals(EntryChange.ADDED)
                                    && !e.change().equals(EntryChange.REMOVED))
                        .count();
                b.append("; ")
                    .append(a.format())
                    .append(" entries: ")
                    .append(changed)
                    .append(" differ, ")
                    .append(count(a, EntryChange.ADDED))
                    .append(" added, ")
                    .append(count(a, EntryChange.REMOVED))
                    .append(" removed");
                if (a.orderDiffers()) {
                  b.append(", order differs");
                }
              }
            });
    return b.toString();
  }

  private static long count(ArchiveDifference a, String change) {
    return a.entries().stream().filter(e -> e.change().equals(change)).count();
  }
}
