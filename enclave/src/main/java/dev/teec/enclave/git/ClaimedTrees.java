package dev.teec.enclave.git;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A claim whose commit and trees checked out: the second stage of {@link SourceClaim}. */
public final class ClaimedTrees {
  private static final int MAX_LISTED = 8;

  private final SourceClaim claim;
  private final Map<String, GitTree> trees;

  ClaimedTrees(SourceClaim claim, Map<String, GitTree> trees) {
    this.claim = claim;
    this.trees = Map.copyOf(trees);
  }

  /** The claim. */
  public SourceClaim claim() {
    return claim;
  }

  /**
   * Last stage: the files the archive held ({@code received}, complete after the extraction) form
   * exactly the claimed tree: the same names, modes and contents, nothing more or less.
   *
   * @throws SourceClaimException ({@code source.archive-tree}) naming the first differences
   */
  public void verifyArchive(ReceivedTree received) throws SourceClaimException {
    Map<String, GitTree> computed = received.trees();
    String actual = computed.get("").id();
    if (actual.equals(claim.tree())) {
      return;
    }
    List<String> differences = differences(computed);
    throw new SourceClaimException(
        SourceClaimException.ARCHIVE_TREE,
        "the files received form tree "
            + actual
            + ", not the claimed tree "
            + claim.tree()
            + " of commit "
            + claim.commit()
            + (differences.isEmpty() ? "" : ": " + String.join("; ", differences)));
  }

  /** The first few entries in which the received files and the claimed trees differ. */
  private List<String> differences(Map<String, GitTree> computed) {
    List<String> out = new ArrayList<>();
    Deque<String> todo = new ArrayDeque<>();
    Map<String, String> claimedIds = new HashMap<>();
    claimedIds.put("", claim.tree());
    todo.push("");
    while (!todo.isEmpty() && out.size() < MAX_LISTED) {
      String dir = todo.pop();
      GitTree got = computed.get(dir);
      GitTree want = trees.get(claimedIds.get(dir));
      TreeSet<String> names = new TreeSet<>();
      got.entries().forEach(e -> names.add(e.name()));
      want.entries().forEach(e -> names.add(e.name()));
      for (String name : names) {
        String path = dir.isEmpty() ? name : dir + "/" + name;
        String shown = "\"" + GitTree.escape(path) + "\"";
        TreeEntry g = got.entry(name);
        TreeEntry w = want.entry(name);
        if (out.size() >= MAX_LISTED) {
          break;
        } else if (w == null) {
          out.add(shown + " is in the archive but not in the commit");
        } else if (g == null) {
          out.add(shown + " is in the commit but not in the archive");
        } else if (g.mode() != w.mode()) {
          out.add(
              shown
                  + " has mode "
                  + g.mode().octal()
                  + " in the archive, "
                  + w.mode().octal()
                  + " in the commit");
        } else if (!g.id().equals(w.id())) {
          if (g.isDirectory()) {
            claimedIds.put(path, w.id());
            todo.push(path);
          } else {
            out.add(shown + " has other content than in the commit (blob " + g.id() + ")");
          }
        }
      }
    }
    return out;
  }
}
