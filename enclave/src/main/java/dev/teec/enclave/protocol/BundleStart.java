package dev.teec.enclave.protocol;

/**
 * The bundle follows as {@link BundleChunk}s and a {@link BundleEnd}; the client checks them
 * against this size and digest.
 *
 * @param size bundle length, 0..{@link Protocol#MAX_BUNDLE_BYTES}
 * @param sha256 SHA-256 of the bundle
 */
public record BundleStart(long size, ByteString sha256) implements Frame {

  /** Checks the limits. */
  public BundleStart {
    FieldCheck.range(size, 0, Protocol.MAX_BUNDLE_BYTES, "bundle_start.size");
    FieldCheck.sha256(sha256, "bundle_start.sha256");
  }

  @Override
  public FrameType frameType() {
    return FrameType.BUNDLE_START;
  }
}
