package dev.teec.enclave.git;

import java.util.Objects;

/**
 * One entry of a git tree.
 *
 * @param mode what the entry is
 * @param name the file or directory name (one path segment, never empty, no {@code /})
 * @param id the SHA-1 id of the blob, tree or (for a submodule) commit, lower-case hex
 */
public record TreeEntry(EntryMode mode, String name, String id) {
  /** Checks the name is one path segment and the id a SHA-1 id. */
  public TreeEntry {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(name, "name");
    String problem = GitTree.nameProblem(name);
    if (problem != null) {
      throw new IllegalArgumentException("tree entry \"" + name + "\": " + problem);
    }
    if (!GitObjects.isSha1(id)) {
      throw new IllegalArgumentException("tree entry \"" + name + "\": not a SHA-1 id: " + id);
    }
  }

  /** Whether this entry is a subdirectory. */
  public boolean isDirectory() {
    return mode == EntryMode.DIRECTORY;
  }
}
