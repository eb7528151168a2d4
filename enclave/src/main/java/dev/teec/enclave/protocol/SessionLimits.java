package dev.teec.enclave.protocol;

/**
 * How much streamed data a session accepts, at most the protocol's ceilings. A worker lowers {@code
 * maxSourceBytes} to what its build area can hold; a client lowers {@code maxBundleBytes} to what
 * it is willing to store. A build request or bundle announcing more is refused before any of its
 * data is read.
 *
 * @param maxSourceBytes 0..{@link Protocol#MAX_SOURCE_BYTES}
 * @param maxBundleBytes 0..{@link Protocol#MAX_BUNDLE_BYTES}
 */
public record SessionLimits(long maxSourceBytes, long maxBundleBytes) {

  /** The protocol's ceilings. */
  public static final SessionLimits DEFAULT =
      new SessionLimits(Protocol.MAX_SOURCE_BYTES, Protocol.MAX_BUNDLE_BYTES);

  /** Checks the limits are within the protocol's. */
  public SessionLimits {
    if (maxSourceBytes < 0 || maxSourceBytes > Protocol.MAX_SOURCE_BYTES) {
      throw new IllegalArgumentException(
          "maxSourceBytes must be in 0.." + Protocol.MAX_SOURCE_BYTES + ", got " + maxSourceBytes);
    }
    if (maxBundleBytes < 0 || maxBundleBytes > Protocol.MAX_BUNDLE_BYTES) {
      throw new IllegalArgumentException(
          "maxBundleBytes must be in 0.." + Protocol.MAX_BUNDLE_BYTES + ", got " + maxBundleBytes);
    }
  }
}
