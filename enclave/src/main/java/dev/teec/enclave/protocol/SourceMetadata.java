package dev.teec.enclave.protocol;

/**
 * What the client claims about where the source archive came from; the report records it. A commit
 * claim without uncommitted changes comes with its evidence, which the worker checks before
 * building (spec/worker.md#W2-source-claim): the commit object here, and {@code treeObjects} tree
 * objects sent as {@link TreeObject} frames before the archive.
 *
 * @param uri where the source lives (e.g. the git remote URL), or null; at most 2048 UTF-8 bytes,
 *     no control characters. Not verifiable: the commit id, once verified, fixes the content
 * @param commit the git commit id (40 or 64 lower-case hex digits), or null when not a git checkout
 * @param tree the git tree id of the archived directory, or null
 * @param path the archived directory within the commit's root tree ({@code /}-separated segments,
 *     none empty, {@code .} or {@code ..}, no control characters, at most 4096 UTF-8 bytes), or
 *     null for the top of the repository; only with a commit
 * @param dirty whether the archive includes changes not in {@code commit}; false when there is no
 *     commit
 * @param commitTime the commit time in seconds since the epoch (0..253402300799), or null; the
 *     worker derives SOURCE_DATE_EPOCH from it
 * @param commitObject the commit object's content (1..262144 bytes), required for a commit without
 *     {@code dirty} and forbidden otherwise
 * @param treeObjects how many tree objects follow the request: at least 1 with a commit object,
 *     else 0; at most {@link Protocol#MAX_TREE_OBJECTS}
 */
public record SourceMetadata(
    String uri,
    String commit,
    String tree,
    String path,
    boolean dirty,
    Long commitTime,
    ByteString commitObject,
    int treeObjects) {

  /** Nothing known: not from a git checkout. */
  public static final SourceMetadata UNKNOWN =
      new SourceMetadata(null, null, null, null, false, null, null, 0);

  /** Checks the limits and that the fields agree. */
  public SourceMetadata {
    if (uri != null) {
      FieldCheck.name(uri, Protocol.MAX_URI_BYTES, "source_metadata.uri");
    }
    FieldCheck.gitObjectId(commit, "source_metadata.commit");
    FieldCheck.gitObjectId(tree, "source_metadata.tree");
    if (path != null) {
      FieldCheck.relativePath(path, Protocol.MAX_PATH_BYTES, "source_metadata.path");
      requireCommit(commit, "source_metadata.path");
    }
    if (dirty) {
      requireCommit(commit, "source_metadata.dirty is true but");
    }
    if (commitTime != null) {
      FieldCheck.range(commitTime, 0, Protocol.MAX_COMMIT_TIME, "source_metadata.commit_time");
    }
    FieldCheck.range(treeObjects, 0, Protocol.MAX_TREE_OBJECTS, "source_metadata.tree_objects");
    if (commitObject != null) {
      FieldCheck.bytes(
          commitObject, 1, Protocol.MAX_COMMIT_OBJECT_BYTES, "source_metadata.commit_object");
      if (commit == null || tree == null || dirty) {
        throw new FrameValidationException(
            ErrorCode.INVALID_VALUE,
            "source_metadata.commit_object needs a commit and a tree, and no dirty flag");
      }
      if (treeObjects < 1) {
        throw new FrameValidationException(
            ErrorCode.INVALID_VALUE,
            "source_metadata.tree_objects is 0, but a commit object needs the tree objects that"
                + " lead to the archived directory");
      }
    } else {
      if (commit != null && !dirty) {
        throw new FrameValidationException(
            ErrorCode.INVALID_VALUE,
            "source_metadata.commit_object is null, but a commit claim without dirty must carry"
                + " its commit object so that the worker can verify it");
      }
      if (treeObjects != 0) {
        throw new FrameValidationException(
            ErrorCode.INVALID_VALUE,
            "source_metadata.tree_objects is " + treeObjects + " without a commit object");
      }
    }
  }

  /**
   * A claim carrying no evidence: no source information, or a commit the archive differs from
   * ({@code dirty}).
   */
  public SourceMetadata(String uri, String commit, String tree, boolean dirty, Long commitTime) {
    this(uri, commit, tree, null, dirty, commitTime, null, 0);
  }

  private static void requireCommit(String commit, String what) {
    if (commit == null) {
      throw new FrameValidationException(
          ErrorCode.INVALID_VALUE, what + " there is no commit (source_metadata.commit is null)");
    }
  }
}
