package dev.teec.enclave.git;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A claim whose commit object checked out: the first stage of {@link SourceClaim}. */
public final class VerifiedCommit {
  private final SourceClaim claim;
  private final GitCommit commit;

  VerifiedCommit(SourceClaim claim, GitCommit commit) {
    this.claim = claim;
    this.commit = commit;
  }

  /** The claim. */
  public SourceClaim claim() {
    return claim;
  }

  /**
   * Second stage: {@code treeObjects} (contents without header, any order) must be exactly the
   * trees on the way from the commit's root tree down to the claimed directory, and every tree
   * below that directory, each once. Walking them from the commit: every directory on the path
   * exists, the claimed directory's tree is the claimed tree, and nothing below it is a submodule
   * or a symbolic link (the archive carries regular files only).
   *
   * @throws SourceClaimException naming the failed check: a tree object missing, sent twice,
   *     malformed or not needed ({@code source.tree-objects}), the path not a directory of the
   *     commit ({@code source.path}), another tree there ({@code source.commit-tree}), a submodule
   *     or symbolic link
   */
  public ClaimedTrees verifyTrees(List<byte[]> treeObjects) throws SourceClaimException {
    Map<String, GitTree> sent = new HashMap<>();
    for (int i = 0; i < treeObjects.size(); i++) {
      byte[] content = treeObjects.get(i);
      String id = GitObjects.id("tree", content);
      if (sent.containsKey(id)) {
        throw new SourceClaimException(
            SourceClaimException.TREE_OBJECTS, "tree object " + i + " (" + id + ") is sent twice");
      }
      try {
        sent.put(id, GitTree.parse(content));
      } catch (GitFormatException e) {
        throw new SourceClaimException(
            SourceClaimException.TREE_OBJECTS,
            "tree object " + i + " (" + id + ") is malformed: " + e.getMessage());
      }
    }
    Map<String, GitTree> used = new HashMap<>();
    String id = commit.tree();
    String at = "";
    for (String segment : claim.path().isEmpty() ? new String[0] : claim.path().split("/")) {
      GitTree tree = need(sent, used, id, at);
      TreeEntry entry = tree.entry(segment);
      at = at.isEmpty() ? segment : at + "/" + segment;
      if (entry == null || !entry.isDirectory()) {
        throw new SourceClaimException(
            SourceClaimException.PATH,
            "commit " + claim.commit() + " has no directory \"" + GitTree.escape(at) + "\"");
      }
      id = entry.id();
    }
    if (!id.equals(claim.tree())) {
      throw new SourceClaimException(
          SourceClaimException.COMMIT_TREE,
          (at.isEmpty() ? "the root tree" : "directory \"" + GitTree.escape(at) + "\"")
              + " of commit "
              + claim.commit()
              + " is tree "
              + id
              + ", the claim says "
              + claim.tree());
    }
    Deque<String[]> todo = new ArrayDeque<>();
    todo.push(new String[] {id, at});
    while (!todo.isEmpty()) {
      String[] next = todo.pop();
      if (used.containsKey(next[0])) {
        continue;
      }
      for (TreeEntry e : need(sent, used, next[0], next[1]).entries()) {
        String where = next[1].isEmpty() ? e.name() : next[1] + "/" + e.name();
        switch (e.mode()) {
          case DIRECTORY -> todo.push(new String[] {e.id(), where});
          case SUBMODULE ->
              throw new SourceClaimException(
                  SourceClaimException.SUBMODULE,
                  "\""
                      + GitTree.escape(where)
                      + "\" is a submodule; submodules cannot be verified or archived");
          case SYMLINK ->
              throw new SourceClaimException(
                  SourceClaimException.SYMLINK,
                  "\""
                      + GitTree.escape(where)
                      + "\" is a symbolic link; source archives carry regular files only");
          default -> {}
        }
      }
    }
    Set<String> unused = new LinkedHashSet<>(sent.keySet());
    unused.removeAll(used.keySet());
    if (!unused.isEmpty()) {
      throw new SourceClaimException(
          SourceClaimException.TREE_OBJECTS,
          unused.size()
              + " tree object(s) are neither on the path to the claimed directory nor below it"
              + " (first: "
              + unused.iterator().next()
              + ")");
    }
    return new ClaimedTrees(claim, used);
  }

  private GitTree need(Map<String, GitTree> sent, Map<String, GitTree> used, String id, String at)
      throws SourceClaimException {
    GitTree tree = sent.get(id);
    if (tree == null) {
      throw new SourceClaimException(
          SourceClaimException.TREE_OBJECTS,
          "the tree object "
              + id
              + " of "
              + (at.isEmpty() ? "the root directory" : "directory \"" + GitTree.escape(at) + "\"")
              + " of commit "
              + claim.commit()
              + " was not sent");
    }
    used.put(id, tree);
    return tree;
  }
}
