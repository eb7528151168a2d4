package dev.teec.enclave.git;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** The modes of a canonical git tree entry, as git writes them (octal, no leading zero). */
public enum EntryMode {
  /** A subdirectory: another tree. */
  DIRECTORY("40000"),
  /** A regular file. */
  FILE("100644"),
  /** A regular file with the executable bit. */
  EXECUTABLE("100755"),
  /** A symbolic link; the blob holds the link target. */
  SYMLINK("120000"),
  /** A submodule (gitlink): the id of a commit of another repository. */
  SUBMODULE("160000");

  private final String octal;

  EntryMode(String octal) {
    this.octal = octal;
  }

  /** The mode as it appears in a tree object and in {@code git ls-tree}, e.g. {@code 100644}. */
  public String octal() {
    return octal;
  }

  /**
   * The mode written as {@code octal}; empty for anything else, including the non-canonical modes
   * very old git versions wrote ({@code 100664}, {@code 040000}).
   */
  public static Optional<EntryMode> fromOctal(String octal) {
    return Arrays.stream(values()).filter(m -> m.octal.equals(octal)).findFirst();
  }

  byte[] bytes() {
    return octal.getBytes(StandardCharsets.US_ASCII);
  }
}
