package dev.teec.formats.report;

/**
 * What the worker knows about the source it built: the SHA-256 of the exact archive it received
 * (always), and, when the client supplied them, the repository URI, git commit, tree and directory
 * and whether the working tree had uncommitted changes. Unknown values are null and left out of the
 * report.
 *
 * <p>{@code commitVerified} true means the worker itself checked, before building, that the commit
 * object hashes to {@code commit}, that {@code tree} is directory {@code path} of that commit, and
 * that the files it received form exactly {@code tree} (spec/worker.md#W2-source-claim). Otherwise
 * commit, tree and path are the client's unverified word.
 *
 * @param uri repository URI, for example {@code git+https://github.com/o/r}, or null; never
 *     verified (the commit id, once verified, fixes the content whatever the URI)
 * @param commit git commit id (40 or 64 lowercase hex digits), or null
 * @param tree git tree id (40 or 64 lowercase hex digits), or null
 * @param path the archived directory within the commit ({@code /}-separated), or null for the top
 *     of the repository
 * @param archiveSha256 SHA-256 of the source archive bytes as received, lowercase hex
 * @param dirty whether the tree differed from {@code commit}, or null when unknown
 * @param commitVerified whether the worker verified commit, tree and path against the archive; null
 *     when not recorded (reports written before the check existed)
 */
public record SourceInfo(
    String uri,
    String commit,
    String tree,
    String path,
    String archiveSha256,
    Boolean dirty,
    Boolean commitVerified) {
  /** Validates every component that is present, and that they agree. */
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
    if (path != null) {
      if (commit == null) {
        throw new IllegalArgumentException("source path without a commit");
      }
      String problem = ArtifactPaths.problem(path);
      if (problem != null) {
        throw new IllegalArgumentException("source path: " + problem);
      }
    }
    Checks.sha256(archiveSha256, "source archive digest");
    if (Boolean.TRUE.equals(commitVerified)
        && (commit == null || tree == null || Boolean.TRUE.equals(dirty))) {
      throw new IllegalArgumentException(
          "a verified source needs a commit and a tree and cannot be dirty");
    }
  }

  /** A source without a directory or verification record. */
  public SourceInfo(String uri, String commit, String tree, String archiveSha256, Boolean dirty) {
    this(uri, commit, tree, null, archiveSha256, dirty, null);
  }

  /** Source known only by the digest of its archive. */
  public static SourceInfo ofArchive(String archiveSha256) {
    return new SourceInfo(null, null, null, null, archiveSha256, null, null);
  }

  /** This source with the repository URI set. */
  public SourceInfo withUri(String newUri) {
    return new SourceInfo(newUri, commit, tree, path, archiveSha256, dirty, commitVerified);
  }

  /** This source with the git commit id set. */
  public SourceInfo withCommit(String newCommit) {
    return new SourceInfo(uri, newCommit, tree, path, archiveSha256, dirty, commitVerified);
  }

  /** This source with the git tree id set. */
  public SourceInfo withTree(String newTree) {
    return new SourceInfo(uri, commit, newTree, path, archiveSha256, dirty, commitVerified);
  }

  /** This source with the archived directory set. */
  public SourceInfo withPath(String newPath) {
    return new SourceInfo(uri, commit, tree, newPath, archiveSha256, dirty, commitVerified);
  }

  /** This source with the dirty flag set. */
  public SourceInfo withDirty(boolean newDirty) {
    return new SourceInfo(uri, commit, tree, path, archiveSha256, newDirty, commitVerified);
  }

  /** This source with the verification record set. */
  public SourceInfo withCommitVerified(boolean verified) {
    return new SourceInfo(uri, commit, tree, path, archiveSha256, dirty, verified);
  }

  /** Whether the worker verified commit, tree and path (not merely recorded the client's word). */
  public boolean verified() {
    return Boolean.TRUE.equals(commitVerified);
  }
}
