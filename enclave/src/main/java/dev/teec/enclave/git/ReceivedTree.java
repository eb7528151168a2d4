package dev.teec.enclave.git;

import dev.teec.enclave.runner.ExtractionObserver;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The git trees of the files a source archive held, computed from the bytes as they are extracted:
 * each file's blob id from its content, its mode from the executable bit (100755 or 100644), the
 * directories from the names. Git has no empty directories, so an archive that creates one has no
 * git tree; {@link #trees} then fails.
 */
public final class ReceivedTree implements ExtractionObserver {
  private final Map<String, TreeEntry> files = new TreeMap<>();
  private final Set<String> directories = new HashSet<>();

  @Override
  public OutputStream file(String name, boolean executable, long size) {
    MessageDigest sha1 = GitObjects.start("blob", size);
    return new OutputStream() {
      @Override
      public void write(int b) {
        sha1.update((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        sha1.update(b, off, len);
      }

      @Override
      public void close() {
        files.put(
            name,
            new TreeEntry(
                executable ? EntryMode.EXECUTABLE : EntryMode.FILE,
                baseName(name),
                GitObjects.hex(sha1.digest())));
      }
    };
  }

  @Override
  public void directory(String name) {
    directories.add(name);
  }

  /**
   * Every directory's tree, by its path ({@code ""} for the top), computed bottom-up.
   *
   * @throws SourceClaimException ({@code source.archive-tree}) if the archive created a directory
   *     with no file below it, which no git tree can describe
   */
  Map<String, GitTree> trees() throws SourceClaimException {
    Map<String, List<TreeEntry>> entries = new HashMap<>();
    entries.put("", new ArrayList<>());
    for (var f : files.entrySet()) {
      String dir = parent(f.getKey());
      for (String d = dir; d != null && !entries.containsKey(d); d = parent(d)) {
        entries.put(d, new ArrayList<>());
      }
      entries.get(dir).add(f.getValue());
    }
    for (String d : directories) {
      if (!entries.containsKey(d)) {
        throw new SourceClaimException(
            SourceClaimException.ARCHIVE_TREE,
            "the archive holds the empty directory \""
                + GitTree.escape(d)
                + "\", which a git tree cannot hold");
      }
    }
    List<String> deepestFirst = new ArrayList<>(entries.keySet());
    deepestFirst.sort(Comparator.comparingInt(ReceivedTree::depth).reversed());
    Map<String, GitTree> trees = new HashMap<>();
    for (String d : deepestFirst) {
      GitTree tree = GitTree.of(entries.get(d));
      trees.put(d, tree);
      if (!d.isEmpty()) {
        entries.get(parent(d)).add(new TreeEntry(EntryMode.DIRECTORY, baseName(d), tree.id()));
      }
    }
    return trees;
  }

  private static int depth(String dir) {
    if (dir.isEmpty()) {
      return 0;
    }
    int n = 1;
    for (int i = 0; i < dir.length(); i++) {
      if (dir.charAt(i) == '/') {
        n++;
      }
    }
    return n;
  }

  /** The directory holding {@code name}: {@code ""} for a top-level name, null for the top. */
  private static String parent(String name) {
    if (name.isEmpty()) {
      return null;
    }
    int slash = name.lastIndexOf('/');
    return slash < 0 ? "" : name.substring(0, slash);
  }

  private static String baseName(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
