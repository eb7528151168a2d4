package dev.teec.enclave.git;

import java.util.Objects;

/**
 * A client's claim that the source archive it sends is exactly directory {@code path} of git commit
 * {@code commit}, whose tree there is {@code tree}. The worker checks it in three stages
 * (spec/worker.md#W2-source-claim), each refusing with a named {@link SourceClaimException}: {@link
 * #verifyCommit} (the commit object hashes to the id), {@link VerifiedCommit#verifyTrees} (the tree
 * objects lead from the commit to {@code tree} and describe all of it) and {@link
 * ClaimedTrees#verifyArchive} (the files received form {@code tree}).
 *
 * @param commit the claimed commit id
 * @param commitObject the commit object's content, without the {@code "commit <size>\0"} header
 * @param path the directory within the commit's root tree, {@code /}-separated, {@code ""} for the
 *     top
 * @param tree the claimed id of that directory's tree
 * @param commitTime the claimed commit time in seconds since the epoch, or null
 */
public record SourceClaim(
    String commit, byte[] commitObject, String path, String tree, Long commitTime) {
  /** Checks the fields are present and copies the object. */
  public SourceClaim {
    Objects.requireNonNull(commit, "commit");
    commitObject = Objects.requireNonNull(commitObject, "commitObject").clone();
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(tree, "tree");
  }

  @Override
  public byte[] commitObject() {
    return commitObject.clone();
  }

  /**
   * First stage: both ids are SHA-1 ids, the commit object hashes to {@code commit}, is a
   * well-formed commit, its committer time is {@code commitTime} (when given), and {@code path} is
   * a well-formed directory path.
   *
   * @throws SourceClaimException naming the failed check
   */
  public VerifiedCommit verifyCommit() throws SourceClaimException {
    for (String id : new String[] {commit, tree}) {
      if (!GitObjects.isSha1(id)) {
        throw new SourceClaimException(
            SourceClaimException.OBJECT_FORMAT,
            GitObjects.isSha256(id)
                ? "the claim names SHA-256 object ids; only commits of SHA-1 repositories can be"
                    + " verified"
                : "\"" + GitTree.escape(id) + "\" is not a git object id");
      }
    }
    String actual = GitObjects.id("commit", commitObject);
    if (!actual.equals(commit)) {
      throw new SourceClaimException(
          SourceClaimException.COMMIT_ID,
          "the commit object sent hashes to " + actual + ", not to the claimed commit " + commit);
    }
    GitCommit parsed;
    try {
      parsed = GitCommit.parse(commitObject);
    } catch (GitFormatException e) {
      throw new SourceClaimException(SourceClaimException.COMMIT_OBJECT, e.getMessage());
    }
    if (commitTime != null && commitTime != parsed.committerTime()) {
      throw new SourceClaimException(
          SourceClaimException.COMMIT_TIME,
          "the claimed commit time "
              + commitTime
              + " is not commit "
              + commit
              + "'s committer time "
              + parsed.committerTime());
    }
    if (!path.isEmpty()) {
      for (String segment : path.split("/", -1)) {
        String problem = GitTree.nameProblem(segment);
        if (problem != null) {
          throw new SourceClaimException(
              SourceClaimException.PATH,
              "\"" + GitTree.escape(path) + "\" is not a directory path: " + problem);
        }
      }
    }
    return new VerifiedCommit(this, parsed);
  }
}
