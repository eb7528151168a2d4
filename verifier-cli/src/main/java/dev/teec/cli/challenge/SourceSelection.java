package dev.teec.cli.challenge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Which files of a source directory make up the source archive. It must select exactly what the
 * original build's client selected, or the archive digest will not match.
 */
interface SourceSelection {
  /**
   * The files to pack, relative to {@code dir}.
   *
   * @throws IOException if the directory cannot be listed
   */
  List<Path> select(Path dir) throws IOException;

  /** A short description for messages, such as "git-tracked files". */
  String describe(Path dir);
}
