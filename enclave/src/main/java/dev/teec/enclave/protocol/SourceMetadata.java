package dev.teec.enclave.protocol;

/**
 * What the client knows about where the source archive came from; it ends up in the report's
 * external parameters. Every field may be unknown (null), except {@code dirty}.
 *
 * @param uri where the source lives (e.g. the git remote URL), or null; at most 2048 UTF-8 bytes,
 *     no control characters
 * @param commit the git commit id (40 or 64 lower-case hex digits), or null when not a git checkout
 * @param tree the git tree id of the archived content, or null
 * @param dirty whether the archive includes changes not in {@code commit}; false when there is no
 *     commit
 * @param commitTime the commit time in seconds since the epoch (0..253402300799), or null; the
 *     worker derives SOURCE_DATE_EPOCH from it
 */
public record SourceMetadata(
    String uri, String commit, String tree, boolean dirty, Long commitTime) {

  /** Nothing known: not from a git checkout. */
  public static final SourceMetadata UNKNOWN = new SourceMetadata(null, null, null, false, null);

  /** Checks the limits. */
  public SourceMetadata {
    if (uri != null) {
      Check.name(uri, Protocol.MAX_URI_BYTES, "source_metadata.uri");
    }
    Check.gitObjectId(commit, "source_metadata.commit");
    Check.gitObjectId(tree, "source_metadata.tree");
    if (dirty && commit == null) {
      throw new FrameValidationException(
          ErrorCode.INVALID_VALUE,
          "source_metadata.dirty is true but there is no commit to differ from");
    }
    if (commitTime != null) {
      Check.range(commitTime, 0, Protocol.MAX_COMMIT_TIME, "source_metadata.commit_time");
    }
  }
}
