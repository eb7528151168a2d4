package dev.teec.builder.source;

import dev.teec.enclave.runner.SourceArchive;
import java.io.IOException;
import java.io.OutputStream;

/** Writes a selection's files as a source archive: from the working tree, or from git's store. */
@FunctionalInterface
public interface SourceContent {
  /**
   * Writes the deterministic archive (SPEC.md W2) to {@code out}, flushing but not closing it.
   *
   * @throws IOException if a file or object cannot be read, or a name cannot be archived
   */
  SourceArchive.Written write(OutputStream out) throws IOException;
}
