package dev.teec.builder.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which tracked files of the project directory differ from HEAD, judged by their content: git's own
 * status (staged changes, new and deleted files) plus every committed file whose working-tree
 * content, hashed as git would store it, is not the committed blob, or whose executable bit or file
 * type differs. Content is compared, not the index's stat data, so files marked assume-unchanged or
 * skip-worktree cannot hide a change.
 */
final class WorkTreeCheck {
  private WorkTreeCheck() {}

  /**
   * The changed files below {@code root} (paths relative to it), and which of them git's status
   * missed.
   *
   * @param changed every changed file, sorted
   * @param hidden those that {@code git status} reports unchanged (marked assume-unchanged or
   *     skip-worktree, typically)
   */
  record Changes(SortedSet<String> changed, SortedSet<String> hidden) {}

  static Changes changes(Git git, Path root, String prefix, HeadContent head)
      throws SourceException {
    SortedSet<String> status = new TreeSet<>(git.statusChanges(root));
    SortedSet<String> byContent = new TreeSet<>();
    boolean modes = git.tracksFileMode(root);
    List<HeadContent.TrackedFile> present = new ArrayList<>();
    for (HeadContent.TrackedFile f : head.files()) {
      if (f.path().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new SourceException(
            f.path() + ": control character in a file name; source archives cannot carry it");
      }
      Path file = root.resolve(f.path());
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        byContent.add(f.path()); // deleted, or replaced by a directory or a link
        continue;
      }
      if (modes && executable(file) != f.executable()) {
        byContent.add(f.path());
        continue;
      }
      present.add(f);
    }
    List<String> ids =
        git.workTreeBlobIds(
            root, prefix, present.stream().map(HeadContent.TrackedFile::path).toList());
    for (int i = 0; i < present.size(); i++) {
      if (!ids.get(i).equals(present.get(i).blob())) {
        byContent.add(present.get(i).path());
      }
    }
    SortedSet<String> hidden = new TreeSet<>(byContent);
    hidden.removeAll(status);
    SortedSet<String> changed = new TreeSet<>(status);
    changed.addAll(byContent);
    return new Changes(changed, hidden);
  }

  private static boolean executable(Path file) throws SourceException {
    try {
      return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
          .contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (IOException e) {
      throw new SourceException(
          "cannot read the permissions of " + file + ": " + e.getMessage(), e);
    }
  }
}
