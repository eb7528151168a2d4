package dev.teec.enclave.protocol;

/** The source archive is complete; the worker now checks its size and digest. */
public record SourceEnd() implements Frame {

  @Override
  public FrameType frameType() {
    return FrameType.SOURCE_END;
  }
}
