package dev.teec.builder.source;

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
 */
public record SelectedSource(Path root, List<Path> files, Optional<GitState> git) {

  /** Checks the fields and copies the list. */
  public SelectedSource {
    Objects.requireNonNull(root, "root");
    files = List.copyOf(files);
    Objects.requireNonNull(git, "git");
  }
}
