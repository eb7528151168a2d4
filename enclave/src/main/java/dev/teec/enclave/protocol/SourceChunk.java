package dev.teec.enclave.protocol;

/**
 * The next piece of the source archive.
 *
 * @param data 1..{@link Protocol#MAX_CHUNK_BYTES} bytes
 */
public record SourceChunk(ByteString data) implements Frame {

  /** Checks the limits. */
  public SourceChunk {
    FieldCheck.bytes(data, 1, Protocol.MAX_CHUNK_BYTES, "source_chunk.data");
  }

  @Override
  public FrameType frameType() {
    return FrameType.SOURCE_CHUNK;
  }
}
