package dev.teec.builder.source;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What git says about the project directory.
 *
 * @param commit the HEAD commit id (40 or 64 lower-case hex digits)
 * @param tree the id of HEAD's tree for the project directory (the whole repository's tree when the
 *     directory is the work tree's top level)
 * @param commitTime HEAD's committer time
 * @param remoteUri the {@code origin} remote's URL without credentials, if there is one
 * @param changedFiles tracked files below the directory whose content differs from HEAD (staged or
 *     not), relative to the directory; empty for a clean tree
 */
public record GitState(
    String commit,
    String tree,
    Instant commitTime,
    Optional<String> remoteUri,
    List<String> changedFiles) {

  /** Checks the fields are present and copies the list. */
  public GitState {
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(tree, "tree");
    Objects.requireNonNull(commitTime, "commitTime");
    Objects.requireNonNull(remoteUri, "remoteUri");
    changedFiles = List.copyOf(changedFiles);
  }

  /** Whether tracked files differ from HEAD. */
  public boolean dirty() {
    return !changedFiles.isEmpty();
  }
}
