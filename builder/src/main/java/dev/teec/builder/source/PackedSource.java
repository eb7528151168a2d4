package dev.teec.builder.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A packed source archive, ready to send.
 *
 * @param archive the deterministic tar (a temporary file the caller deletes)
 * @param size its length in bytes
 * @param sha256 its SHA-256, lower-case hex; the report records the same value
 * @param files the number of files in it
 * @param selection what was packed
 */
public record PackedSource(
    Path archive, long size, String sha256, int files, SelectedSource selection) {

  /** Checks the fields are present. */
  public PackedSource {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(selection, "selection");
  }
}
