package dev.teec.enclave.protocol;

/**
 * The next piece of the bundle.
 *
 * @param data 1..{@link Protocol#MAX_CHUNK_BYTES} bytes
 */
public record BundleChunk(ByteString data) implements Frame {

  /** Checks the limits. */
  public BundleChunk {
    FieldCheck.bytes(data, 1, Protocol.MAX_CHUNK_BYTES, "bundle_chunk.data");
  }

  @Override
  public FrameType frameType() {
    return FrameType.BUNDLE_CHUNK;
  }
}
