package dev.teec.builder.source;

import java.util.List;
import java.util.Objects;

/**
 * The evidence for a source claim, read from git's object store: the enclave recomputes the
 * commit's id and the archived directory's tree from these and the archive
 * (spec/worker.md#W2-source-claim).
 *
 * @param commitObject the commit object's content, without the {@code "commit <size>\0"} header
 * @param treeObjects the tree objects from the commit's root tree down to the archived directory,
 *     and every tree below it, each once, without headers
 */
public record CommitObjects(byte[] commitObject, List<byte[]> treeObjects) {
  /** Copies the arrays. */
  public CommitObjects {
    commitObject = Objects.requireNonNull(commitObject, "commitObject").clone();
    treeObjects = treeObjects.stream().map(byte[]::clone).toList();
  }

  @Override
  public byte[] commitObject() {
    return commitObject.clone();
  }

  @Override
  public List<byte[]> treeObjects() {
    return treeObjects.stream().map(byte[]::clone).toList();
  }
}
