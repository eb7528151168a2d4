package dev.teec.builder.source;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What git says about the project directory.
 *
 * @param commit the HEAD commit id (40 lower-case hex digits: only SHA-1 repositories are built)
 * @param tree the id of HEAD's tree for the project directory (the whole repository's tree when the
 *     directory is the work tree's top level)
 * @param path the project directory within the repository, {@code /}-separated, {@code ""} at the
 *     top
 * @param commitTime HEAD's committer time
 * @param remoteUri the {@code origin} remote's URL without credentials, if there is one
 * @param changedFiles tracked files below the directory whose content or mode differs from HEAD
 *     (staged or not, whatever the index's assume-unchanged or skip-worktree marks say), relative
 *     to the directory; empty for a clean tree
 * @param objects the commit and tree objects proving the claim; present exactly when the tree is
 *     clean (a dirty tree's archive is not the commit, so there is nothing to prove)
 */
public record GitState(
    String commit,
    String tree,
    String path,
    Instant commitTime,
    Optional<String> remoteUri,
    List<String> changedFiles,
    Optional<CommitObjects> objects) {

  /** Checks the fields are present and agree, and copies the list. */
  public GitState {
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(tree, "tree");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(commitTime, "commitTime");
    Objects.requireNonNull(remoteUri, "remoteUri");
    changedFiles = List.copyOf(changedFiles);
    Objects.requireNonNull(objects, "objects");
    if (objects.isPresent() == !changedFiles.isEmpty()) {
      throw new IllegalArgumentException(
          "the commit's objects come with a clean tree, and only with one");
    }
  }

  /** Whether tracked files differ from HEAD. */
  public boolean dirty() {
    return !changedFiles.isEmpty();
  }
}
