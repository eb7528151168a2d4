package dev.teec.builder.source;

import dev.teec.enclave.runner.SourceArchive;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The files chosen to be built, before packing.
 *
 * @param root the project directory (absolute, real path)
 * @param files the chosen regular files, relative to {@code root}
 * @param git the git state when {@code root} is in a git work tree, empty otherwise
 * @param content writes the archive: for a clean git tree the committed blobs from git's object
 *     store (exactly what the commit holds, whatever filters or end-of-line conversion did to the
 *     working tree), otherwise the working-tree files
 */
public record SelectedSource(
    Path root, List<Path> files, Optional<GitState> git, SourceContent content) {

  /** Checks the fields and copies the list. */
  public SelectedSource {
    Objects.requireNonNull(root, "root");
    files = List.copyOf(files);
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(content, "content");
  }

  /** A selection packed from the working-tree files {@code files} below {@code root}. */
  public SelectedSource(Path root, List<Path> files, Optional<GitState> git) {
    this(root, files, git, out -> SourceArchive.write(root, files, out));
  }
}
