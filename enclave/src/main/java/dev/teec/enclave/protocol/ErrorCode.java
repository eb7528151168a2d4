package dev.teec.enclave.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why a session or an egress request failed. Each constant has a stable wire name (its name in
 * lower case), which is what {@code error} frames carry; the names never change within a protocol
 * version.
 */
public enum ErrorCode {
  /** The frame body is not one well-formed CBOR map as the protocol requires (SPEC.md W8.2). */
  MALFORMED_FRAME,
  /** The announced frame length is above the limit. */
  FRAME_TOO_LARGE,
  /** The frame's {@code type} is not a known frame type. */
  UNKNOWN_TYPE,
  /** The frame has a field its type does not define. */
  UNKNOWN_FIELD,
  /** The frame lacks a field its type requires. */
  MISSING_FIELD,
  /** A field has the wrong CBOR type. */
  WRONG_TYPE,
  /** A field has the right type but a value the protocol forbids (negative size, bad enum...). */
  INVALID_VALUE,
  /** A size, length or count is above its limit. */
  LIMIT_EXCEEDED,
  /** The peer speaks another protocol version. */
  UNSUPPORTED_VERSION,
  /** A well-formed frame arrived where the session state does not allow it. */
  UNEXPECTED_FRAME,
  /** Streamed data (source or bundle) differs in length from what was announced. */
  SIZE_MISMATCH,
  /** Streamed data (source or bundle) differs in SHA-256 from what was announced. */
  DIGEST_MISMATCH,
  /**
   * The peer closed the connection or it failed. Local only: never sent in an {@code error} frame
   * (there is nobody left to send it to).
   */
  PEER_GONE,
  /** The sender gave up on the session on purpose (for example the user interrupted the client). */
  CANCELLED,
  /**
   * The build request is valid on the wire but unacceptable (for example an invalid build.json).
   */
  INVALID_REQUEST,
  /**
   * The worker could not verify the client's source claim: the commit object, the tree objects and
   * the archive do not agree, or the claim cannot be verified (a SHA-256 repository, a submodule).
   * The message starts with the failed check's name (spec/worker.md#W2-source-claim).
   */
  SOURCE_REJECTED,
  /** The receiver is at capacity; try again later. */
  BUSY,
  /** Egress: the host and port are not on the forwarder's allowlist. */
  DENIED,
  /** Egress: the forwarder could not reach the upstream host. */
  UPSTREAM_UNREACHABLE,
  /** The sender failed for a reason of its own. */
  INTERNAL;

  private static final Map<String, ErrorCode> BY_WIRE_NAME =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(ErrorCode::wireName, Function.identity()));

  /** The stable name carried on the wire, e.g. {@code "unexpected_frame"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The code with this wire name, if any. */
  public static Optional<ErrorCode> fromWireName(String wireName) {
    return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
  }
}
