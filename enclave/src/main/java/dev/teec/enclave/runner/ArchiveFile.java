package dev.teec.enclave.runner;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * One file for {@link SourceArchive#write(java.util.List, java.io.OutputStream)}: its entry name,
 * executable bit and where its content comes from (a file on disk, a git blob).
 *
 * @param name the entry name: relative, {@code /}-separated, within the archive name rules
 * @param executable whether the entry gets mode 0755 (else 0644)
 * @param opener opens the content when the entry is written; entries are written one at a time in
 *     archive order, each opened content closed before the next is opened
 */
public record ArchiveFile(String name, boolean executable, Opener opener) {
  /** Checks the fields are present. */
  public ArchiveFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(opener, "opener");
  }

  /** Opens a file's content. */
  @FunctionalInterface
  public interface Opener {
    /** The content: exactly {@link Content#size()} bytes must follow on its stream. */
    Content open() throws IOException;
  }

  /**
   * Content being read.
   *
   * @param size its length, written to the tar header before the bytes
   * @param stream yields exactly {@code size} bytes; closed by the writer
   */
  public record Content(long size, InputStream stream) {}
}
