package dev.teec.cli.challenge.compare;

import java.util.Objects;

/**
 * One archive entry that differs between the original and the rebuild.
 *
 * @param name the entry name as stored in the archive
 * @param change {@code added} (only in the rebuild), {@code removed} (only in the original), {@code
 *     content} (different bytes), or {@code metadata} (same bytes, different time, mode, type or
 *     compression)
 * @param detail for {@code metadata}: which fields and their values, else empty
 */
public record EntryChange(String name, String change, String detail) {
  /** The change kinds, in the order entries are listed. */
  public static final String ADDED = "added";

  /** Only in the original. */
  public static final String REMOVED = "removed";

  /** Different bytes. */
  public static final String CONTENT = "content";

  /** Same bytes, different metadata. */
  public static final String METADATA = "metadata";

  public EntryChange {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(detail, "detail");
  }
}
