package dev.teec.truststore.eif;

import java.util.Objects;

/**
 * One section as found in the file.
 *
 * @param type the section type
 * @param flags the section header's flags (unused by nitro-cli, reported as found)
 * @param offset where the section header starts in the file
 * @param size the length of the section data, without its 12-byte header
 */
public record EifSection(EifSectionType type, int flags, long offset, long size) {
  public EifSection {
    Objects.requireNonNull(type, "type");
  }
}
