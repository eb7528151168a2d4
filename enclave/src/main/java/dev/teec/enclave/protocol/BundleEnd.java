package dev.teec.enclave.protocol;

/** The bundle is complete; the client now checks its size and digest. */
public record BundleEnd() implements Frame {

  @Override
  public FrameType frameType() {
    return FrameType.BUNDLE_END;
  }
}
