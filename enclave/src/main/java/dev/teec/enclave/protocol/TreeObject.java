package dev.teec.enclave.protocol;

/**
 * One git tree object backing the build request's source claim (the content without the {@code
 * "tree <size>\0"} header). Sent after the worker announces {@code receiving} and before the source
 * archive, exactly as many as {@link SourceMetadata#treeObjects()} says.
 *
 * @param data 0..{@link Protocol#MAX_TREE_OBJECT_BYTES} bytes (the empty tree has none)
 */
public record TreeObject(ByteString data) implements Frame {

  /** Checks the limits. */
  public TreeObject {
    FieldCheck.bytes(data, 0, Protocol.MAX_TREE_OBJECT_BYTES, "tree_object.data");
  }

  @Override
  public FrameType frameType() {
    return FrameType.TREE_OBJECT;
  }
}
