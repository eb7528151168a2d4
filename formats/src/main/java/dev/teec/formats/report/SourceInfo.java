package dev.teec.formats.report;

/**
 * What the worker knows about the source it built: the SHA-256 of the exact archive it received
 * (always), and, when the client supplied them, the repository URI, git commit and tree ids and
 * whether the working tree had uncommitted changes. Unknown values are null and left out of the
 * report.
 *
 * @param uri repository URI, for example {@code git+https://github.com/o/r}, or null
 * @param commit git commit id (40 or 64 lowercase hex digits), or null
 * @param tree git tree id (40 or 64 lowercase hex digits), or null
 * @param archiveSha256 SHA-256 of the source archive bytes as received, lowercase hex
 * @param dirty whether the tree differed from {@code commit}, or null when unknown
 */
public record SourceInfo(
    String uri, String commit, String tree, String archiveSha256, Boolean dirty) {
  /** Validates every component that is present. */
  public SourceInfo {
    if (uri != null) {
      Checks.uri(uri, "source uri");
    }
    if (commit != null) {
      Checks.gitObjectId(commit, "source commit");
    }
    if (tree != null) {
      Checks.gitObjectId(tree, "source tree");
    }
    Checks.sha256(archiveSha256, "source archive digest");
  }

  /** Source known only by the digest of its archive. */
  public static SourceInfo ofArchive(String archiveSha256) {
    return new SourceInfo(null, null, null, archiveSha256, null);
  }

  /** This source with the repository URI set. */
  public SourceInfo withUri(String newUri) {
    return new SourceInfo(newUri, commit, tree, archiveSha256, dirty);
  }

  /** This source with the git commit id set. */
  public SourceInfo withCommit(String newCommit) {
    return new SourceInfo(uri, newCommit, tree, archiveSha256, dirty);
  }

  /** This source with the git tree id set. */
  public SourceInfo withTree(String newTree) {
    return new SourceInfo(uri, commit, newTree, archiveSha256, dirty);
  }

  /** This source with the dirty flag set. */
  public SourceInfo withDirty(boolean newDirty) {
    return new SourceInfo(uri, commit, tree, archiveSha256, newDirty);
  }
}
