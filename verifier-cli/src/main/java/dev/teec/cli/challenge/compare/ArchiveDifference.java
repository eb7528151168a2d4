package dev.teec.cli.challenge.compare;

import java.util.List;
import java.util.Objects;

/**
 * The entry-level difference between two archives of the same format.
 *
 * @param format {@code zip} (also jar, war, apk...) or {@code tar}
 * @param entries the entries that differ, sorted by name
 * @param orderDiffers the two archives list their common entries in a different order
 * @param error why the entries could not be compared (a damaged archive), else null; then {@code
 *     entries} is empty
 */
public record ArchiveDifference(
    String format, List<EntryChange> entries, boolean orderDiffers, String error) {
  public ArchiveDifference {
    Objects.requireNonNull(format, "format");
    entries = List.copyOf(entries);
  }

  /**
   * Same entries with the same bytes and metadata in the same order: only the container differs.
   */
  public boolean entriesIdentical() {
    return error == null && entries.isEmpty() && !orderDiffers;
  }
}
