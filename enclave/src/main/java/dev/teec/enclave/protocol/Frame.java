package dev.teec.enclave.protocol;

/**
 * One protocol message. Every implementation is an immutable record whose constructor enforces the
 * field limits of SPEC.md W8.3, so a frame that exists is a frame that may be sent; constructing
 * one with a forbidden value throws {@link IllegalArgumentException} naming the field.
 */
public sealed interface Frame
    permits ClientHello,
        WorkerHello,
        BuildRequest,
        TreeObject,
        SourceChunk,
        SourceEnd,
        LogLine,
        Phase,
        BundleStart,
        BundleChunk,
        BundleEnd,
        Result,
        ErrorFrame,
        EgressOpen,
        EgressOk {

  /** This frame's type. */
  FrameType frameType();
}
