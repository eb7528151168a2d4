package dev.teec.enclave.runner;

import java.io.IOException;
import java.util.Optional;

/**
 * A source archive that breaks the rules of spec part W2 (links, devices, unsafe names, duplicates,
 * limits, corrupt tar). {@link #entry()} names the offending entry when there is one.
 */
public final class SourceArchiveException extends IOException {
  private final String entry;

  SourceArchiveException(String entry, String message) {
    super(entry == null ? message : "entry \"" + entry + "\": " + message);
    this.entry = entry;
  }

  SourceArchiveException(String entry, String message, Throwable cause) {
    super(entry == null ? message : "entry \"" + entry + "\": " + message, cause);
    this.entry = entry;
  }

  /** The entry name as it appears in the archive, when the problem belongs to one entry. */
  public Optional<String> entry() {
    return Optional.ofNullable(entry);
  }
}
