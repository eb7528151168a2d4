package dev.teec.enclave.git;

import java.io.IOException;
import java.util.Objects;

/**
 * A source claim the worker refuses: the named check failed. The message starts with the check's
 * name, e.g. {@code "source.commit-id: the commit object hashes to ..."}.
 */
public final class SourceClaimException extends IOException {
  /** The claim names a SHA-256 commit: only SHA-1 repositories can be verified. */
  public static final String OBJECT_FORMAT = "source.object-format";

  /** The commit object does not hash to the claimed commit id. */
  public static final String COMMIT_ID = "source.commit-id";

  /** The commit object is not a well-formed commit. */
  public static final String COMMIT_OBJECT = "source.commit-object";

  /** The claimed commit time is not the commit object's committer time. */
  public static final String COMMIT_TIME = "source.commit-time";

  /** The claimed directory is not a directory of the commit. */
  public static final String PATH = "source.path";

  /** The claimed tree is not the tree of the claimed directory of the commit. */
  public static final String COMMIT_TREE = "source.commit-tree";

  /** A tree object is missing, malformed, sent twice or not part of the claimed directory. */
  public static final String TREE_OBJECTS = "source.tree-objects";

  /** The claimed directory holds a submodule, which the archive cannot carry. */
  public static final String SUBMODULE = "source.submodule";

  /** The claimed directory holds a symbolic link, which the archive cannot carry. */
  public static final String SYMLINK = "source.symlink";

  /** The files received do not form the claimed tree. */
  public static final String ARCHIVE_TREE = "source.archive-tree";

  /** The build.json sent is not the commit's: the build would not run as the commit defines. */
  public static final String BUILD_JSON = "source.build-json";

  private static final long serialVersionUID = 1L;

  private final String check;

  /**
   * @param check the failed check, one of this class's constants
   * @param detail what is wrong, for people
   */
  public SourceClaimException(String check, String detail) {
    super(Objects.requireNonNull(check, "check") + ": " + detail);
    this.check = check;
  }

  /** The failed check's name. */
  public String check() {
    return check;
  }
}
