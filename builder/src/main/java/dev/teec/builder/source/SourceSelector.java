package dev.teec.builder.source;

import dev.teec.enclave.runner.ArchiveFile;
import dev.teec.enclave.runner.SourceArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the files of a project to build.
 *
 * <p>In a git work tree (SHA-1 repositories only): exactly HEAD's files below the directory, read
 * from git's object store, plus the commit and tree objects the enclave needs to verify that the
 * archive is HEAD's directory. A tree whose tracked files differ from HEAD, by content (so
 * assume-unchanged and skip-worktree marks hide nothing), executable bit or git's status, is
 * refused unless dirty trees are allowed, in which case the working-tree content of the index's
 * files is sent, without objects, and the report records {@code dirty: true}. Untracked files are
 * never sent. Tracked symbolic links and submodules are refused: the archive holds regular files
 * only.
 *
 * <p>Elsewhere: every regular file below the directory except the {@link #IGNORED_NAMES} (at any
 * depth) and the explicitly excluded paths; a symbolic link or special file is an error.
 */
public final class SourceSelector {
  /** Directory and file names left out of a non-git project: VCS metadata and build outputs. */
  public static final Set<String> IGNORED_NAMES =
      Set.of(".git", ".hg", ".svn", "target", "node_modules");

  private final Git git;

  /** A selector using {@code git} from PATH. */
  public SourceSelector() {
    this("git");
  }

  /**
   * @param gitExecutable the git binary to ask
   */
  public SourceSelector(String gitExecutable) {
    this.git = new Git(gitExecutable);
  }

  /**
   * Selects the source of the project in {@code dir}.
   *
   * @param allowDirty accept a git tree whose tracked files differ from HEAD
   * @param exclude absolute paths never to include (e.g. the bundle being written); only matter
   *     outside git, where every file is a candidate
   * @throws SourceException when the directory does not exist, the tree is dirty and that is not
   *     allowed, git fails, or a file cannot be archived
   */
  public SelectedSource select(Path dir, boolean allowDirty, Collection<Path> exclude)
      throws SourceException {
    Path root;
    try {
      root = dir.toRealPath();
    } catch (IOException e) {
      throw new SourceException(dir + ": no such directory");
    }
    if (!Files.isDirectory(root)) {
      throw new SourceException(dir + " is not a directory");
    }
    if (git.isWorkTree(root)) {
      return fromGit(root, allowDirty);
    }
    return new SelectedSource(root, walk(root, exclude), Optional.empty());
  }

  /**
   * Fetches a repository at one commit, for rebuilding someone else's bundle from its recorded
   * source: clones {@code url} into the new directory {@code dest} and checks out {@code commit}.
   * {@link #select} on {@code dest} then gives what a build of that commit sent.
   *
   * @param url anything {@code git clone} accepts; a leading {@code git+} (as in recorded source
   *     URIs) is removed
   * @throws SourceException when the clone or the checkout fails, with git's message
   */
  public void checkout(String url, String commit, Path dest) throws SourceException {
    git.checkout(url.startsWith("git+") ? url.substring(4) : url, commit, dest);
  }

  private SelectedSource fromGit(Path root, boolean allowDirty) throws SourceException {
    String format = git.objectFormat(root);
    if (!format.equals("sha1")) {
      throw new SourceException(
          root
              + ": the repository uses the "
              + format
              + " object format; only SHA-1 repositories can be built, because the enclave"
              + " verifies the commit by recomputing its SHA-1 object ids (to build the files"
              + " without a commit claim, copy them to a directory outside git)");
    }
    String commit = git.headCommit(root);
    String prefix = git.prefix(root);
    HeadContent head;
    try (CatFile cat = git.catFile(root)) {
      head = HeadContent.read(cat, commit, prefix);
    }
    WorkTreeCheck.Changes changes = WorkTreeCheck.changes(git, root, prefix, head);
    List<String> changed = List.copyOf(changes.changed());
    if (!changed.isEmpty() && !allowDirty) {
      throw new SourceException(
          root
              + ": the git tree has uncommitted changes to tracked files ("
              + String.join(", ", changed.subList(0, Math.min(5, changed.size())))
              + (changed.size() > 5 ? ", and " + (changed.size() - 5) + " more" : "")
              + ")"
              + (changes.hidden().isEmpty()
                  ? ""
                  : "; git status does not show "
                      + String.join(", ", List.copyOf(changes.hidden()).subList(0, 1))
                      + (changes.hidden().size() > 1 ? " and others" : "")
                      + ", whose content differs from HEAD all the same (marked assume-unchanged"
                      + " or skip-worktree?)")
              + "; commit them, or pass --allow-dirty (the report then records dirty: true)");
    }
    boolean clean = changed.isEmpty();
    GitState state =
        new GitState(
            commit,
            head.tree(),
            prefix,
            Instant.ofEpochSecond(head.commitTime()),
            git.remoteUri(root),
            changed,
            clean
                ? Optional.of(new CommitObjects(head.commitObject(), head.treeObjects()))
                : Optional.empty());
    if (clean) {
      if (head.files().isEmpty()) {
        throw new SourceException(root + ": git tracks no files here");
      }
      List<Path> files = head.files().stream().map(f -> Path.of(f.path())).toList();
      return new SelectedSource(root, files, Optional.of(state), out -> committed(root, head, out));
    }
    return new SelectedSource(root, workTreeFiles(root), Optional.of(state));
  }

  /** The archive of the committed blobs, read from git's object store. */
  private SourceArchive.Written committed(Path root, HeadContent head, OutputStream out)
      throws IOException {
    try (CatFile cat = git.catFile(root)) {
      List<ArchiveFile> files = new ArrayList<>();
      for (HeadContent.TrackedFile f : head.files()) {
        files.add(
            new ArchiveFile(
                f.path(),
                f.executable(),
                () -> {
                  CatFile.Blob blob = cat.blob(f.blob(), f.path());
                  return new ArchiveFile.Content(blob.size(), blob.stream());
                }));
      }
      return SourceArchive.write(files, out);
    }
  }

  /** A dirty tree's files as they are in the working tree: the index, less deleted files. */
  private List<Path> workTreeFiles(Path root) throws SourceException {
    List<Path> files = new ArrayList<>();
    for (Git.IndexEntry e : git.indexEntries(root)) {
      switch (e.mode()) {
        case "120000" ->
            throw new SourceException(
                e.path()
                    + " is a symbolic link tracked by git; source archives carry regular files only");
        case "160000" ->
            throw new SourceException(
                e.path()
                    + " is a git submodule; submodules are not supported (vendor the files instead)");
        default -> {}
      }
      Path file = root.resolve(e.path());
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        continue; // deleted in the working tree: part of a dirty tree that was allowed
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new SourceException(
            e.path() + " is tracked by git but is not a regular file in the working tree");
      }
      files.add(Path.of(e.path()));
    }
    if (files.isEmpty()) {
      throw new SourceException(root + ": git tracks no files here");
    }
    return files;
  }

  private static List<Path> walk(Path root, Collection<Path> exclude) throws SourceException {
    List<Path> files = new ArrayList<>();
    List<Path> excluded = exclude.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              return !d.equals(root) && IGNORED_NAMES.contains(d.getFileName().toString())
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Path rel = root.relativize(file);
              if (IGNORED_NAMES.contains(file.getFileName().toString())
                  || excluded.contains(file)) {
                return FileVisitResult.CONTINUE;
              }
              if (!attrs.isRegularFile()) {
                throw new SourceException(
                    rel
                        + " is "
                        + (attrs.isSymbolicLink() ? "a symbolic link" : "not a regular file")
                        + "; source archives carry regular files only");
              }
              files.add(rel);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (SourceException e) {
      throw e;
    } catch (IOException e) {
      throw new SourceException("cannot list " + root + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new SourceException(root + " holds no files to build");
    }
    return files;
  }
}
