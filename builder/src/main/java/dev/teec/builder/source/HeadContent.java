package dev.teec.builder.source;

import dev.teec.enclave.git.EntryMode;
import dev.teec.enclave.git.GitCommit;
import dev.teec.enclave.git.GitFormatException;
import dev.teec.enclave.git.GitTree;
import dev.teec.enclave.git.TreeEntry;
import dev.teec.enclave.protocol.Protocol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A commit's content for one directory, read from git's object store: the commit object, the tree
 * objects a source claim needs (from the root tree down to the directory, and all below it), and
 * the files below the directory with their blob ids and executable bits.
 *
 * @param commitObject the commit object's content
 * @param commitTime the committer time, seconds since the epoch
 * @param treeObjects the claim's tree objects, each once
 * @param tree the directory's tree id
 * @param files the directory's files, paths relative to it
 */
record HeadContent(
    byte[] commitObject,
    long commitTime,
    List<byte[]> treeObjects,
    String tree,
    List<TrackedFile> files) {

  /**
   * A committed file.
   *
   * @param path relative to the directory, {@code /}-separated
   * @param executable mode 100755 (else 100644)
   * @param blob the blob id
   */
  record TrackedFile(String path, boolean executable, String blob) {}

  /**
   * Reads {@code commit}'s directory {@code prefix} ({@code ""} for the top).
   *
   * @throws SourceException if git fails, the directory holds a symbolic link or a submodule (which
   *     the archive cannot carry), or the objects exceed what the protocol carries
   */
  static HeadContent read(CatFile cat, String commit, String prefix) throws SourceException {
    byte[] commitObject =
        cat.read(commit, "commit", Protocol.MAX_COMMIT_OBJECT_BYTES, "commit " + commit);
    Trees trees = new Trees(cat);
    GitCommit parsed = parse(commitObject, commit);
    if (parsed.committerTime() > Protocol.MAX_COMMIT_TIME) {
      throw new SourceException(
          "git: commit " + commit + " has a committer time after the year 9999");
    }
    String id = parsed.tree();
    String at = "";
    for (String segment : prefix.isEmpty() ? new String[0] : prefix.split("/")) {
      TreeEntry entry = trees.get(id, at).entry(segment);
      at = at.isEmpty() ? segment : at + "/" + segment;
      if (entry == null || !entry.isDirectory()) {
        throw new SourceException("git: commit " + commit + " has no directory " + at);
      }
      id = entry.id();
    }
    String top = id;
    List<TrackedFile> files = new ArrayList<>();
    Deque<String[]> todo = new ArrayDeque<>();
    todo.push(new String[] {top, ""});
    while (!todo.isEmpty()) {
      String[] next = todo.pop();
      String where = at.isEmpty() ? next[1] : next[1].isEmpty() ? at : at + "/" + next[1];
      for (TreeEntry e : trees.get(next[0], where).entries()) {
        String path = next[1].isEmpty() ? e.name() : next[1] + "/" + e.name();
        switch (e.mode()) {
          case DIRECTORY -> todo.push(new String[] {e.id(), path});
          case FILE, EXECUTABLE ->
              files.add(new TrackedFile(path, e.mode() == EntryMode.EXECUTABLE, e.id()));
          case SYMLINK ->
              throw new SourceException(
                  path
                      + " is a symbolic link tracked by git; source archives carry regular files"
                      + " only");
          case SUBMODULE ->
              throw new SourceException(
                  path
                      + " is a git submodule; submodules are not supported (vendor the files"
                      + " instead)");
        }
      }
    }
    return new HeadContent(
        commitObject, parsed.committerTime(), List.copyOf(trees.objects.values()), top, files);
  }

  private static GitCommit parse(byte[] commitObject, String commit) throws SourceException {
    try {
      return GitCommit.parse(commitObject);
    } catch (GitFormatException e) {
      throw new SourceException("git: commit " + commit + ": " + e.getMessage(), e);
    }
  }

  /** The trees read so far, each once, within the protocol's bounds. */
  private static final class Trees {
    private final CatFile cat;
    private final Map<String, byte[]> objects = new LinkedHashMap<>();
    private final Map<String, GitTree> parsed = new HashMap<>();
    private long bytes;

    Trees(CatFile cat) {
      this.cat = cat;
    }

    /** The tree {@code id} of directory {@code at}, read once and remembered with its object. */
    GitTree get(String id, String at) throws SourceException {
      GitTree known = parsed.get(id);
      if (known != null) {
        return known;
      }
      String what = at.isEmpty() ? "the root tree" : "the tree of directory " + at;
      byte[] content = cat.read(id, "tree", Protocol.MAX_TREE_OBJECT_BYTES, what);
      bytes += content.length;
      if (objects.size() >= Protocol.MAX_TREE_OBJECTS || bytes > Protocol.MAX_TREE_BYTES) {
        throw new SourceException(
            "git: the commit's trees for this directory exceed what the enclave accepts ("
                + Protocol.MAX_TREE_OBJECTS
                + " trees, "
                + Protocol.MAX_TREE_BYTES
                + " bytes)");
      }
      GitTree tree;
      try {
        tree = GitTree.parse(content);
      } catch (GitFormatException e) {
        throw new SourceException("git: " + what + " (" + id + "): " + e.getMessage(), e);
      }
      objects.put(id, content);
      parsed.put(id, tree);
      return tree;
    }
  }
}
