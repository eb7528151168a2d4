package dev.teec.enclave.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The frame types and their wire names (the {@code type} field of every frame, SPEC.md W8.3). */
public enum FrameType {
  /** {@link ClientHello}. */
  CLIENT_HELLO,
  /** {@link WorkerHello}. */
  WORKER_HELLO,
  /** {@link BuildRequest}. */
  BUILD_REQUEST,
  /** {@link TreeObject}. */
  TREE_OBJECT,
  /** {@link SourceChunk}. */
  SOURCE_CHUNK,
  /** {@link SourceEnd}. */
  SOURCE_END,
  /** {@link LogLine}. */
  LOG,
  /** {@link Phase}. */
  PHASE,
  /** {@link BundleStart}. */
  BUNDLE_START,
  /** {@link BundleChunk}. */
  BUNDLE_CHUNK,
  /** {@link BundleEnd}. */
  BUNDLE_END,
  /** {@link Result}. */
  RESULT,
  /** {@link ErrorFrame}. */
  ERROR,
  /** {@link EgressOpen}. */
  EGRESS_OPEN,
  /** {@link EgressOk}. */
  EGRESS_OK;

  private static final Map<String, FrameType> BY_WIRE_NAME =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(FrameType::wireName, Function.identity()));

  /** The value of the {@code type} field, e.g. {@code "build_request"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type with this wire name, if any. */
  public static Optional<FrameType> fromWireName(String wireName) {
    return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
  }
}
