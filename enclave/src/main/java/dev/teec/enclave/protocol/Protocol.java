package dev.teec.enclave.protocol;

/**
 * The protocol version and every fixed limit of the wire protocol (SPEC.md W8). Both peers apply
 * the same limits; they are part of the protocol, so changing one means a new {@link #VERSION}.
 */
public final class Protocol {

  /** The only protocol version this implementation speaks. */
  public static final int VERSION = 2;

  /**
   * Largest frame body (the CBOR after the 4-byte length), checked before anything is allocated.
   */
  public static final int MAX_FRAME_BYTES = 1 << 20;

  /** Largest payload of one {@code source_chunk} or {@code bundle_chunk}. */
  public static final int MAX_CHUNK_BYTES = 256 * 1024;

  /** Largest {@code build.json} in a build request. */
  public static final int MAX_BUILD_JSON_BYTES = 64 * 1024;

  /** Shortest client nonce: 128 bits, so a replayed attestation cannot match a fresh request. */
  public static final int MIN_NONCE_BYTES = 16;

  /** Longest client nonce: room for a SHA-512 digest, well inside the NSM's 512-byte limit. */
  public static final int MAX_NONCE_BYTES = 64;

  /** Longest client or worker name, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 128;

  /** Most capabilities a worker may announce. */
  public static final int MAX_CAPABILITIES = 32;

  /** Longest capability name, in bytes. */
  public static final int MAX_CAPABILITY_BYTES = 64;

  /** Longest source URI, in UTF-8 bytes. */
  public static final int MAX_URI_BYTES = 2048;

  /** Longest source path (the archived directory within the commit), in UTF-8 bytes. */
  public static final int MAX_PATH_BYTES = 4096;

  /** Largest commit object in a build request. */
  public static final int MAX_COMMIT_OBJECT_BYTES = 256 * 1024;

  /** Most tree objects a build request may announce (the source archive's entry limit). */
  public static final int MAX_TREE_OBJECTS = 100_000;

  /** Largest tree object, so that one fits a frame (1 MiB less 1 KiB). */
  public static final int MAX_TREE_OBJECT_BYTES = (1 << 20) - 1024;

  /** Most bytes of tree objects in one session. */
  public static final long MAX_TREE_BYTES = 32L << 20;

  /** Latest commit time accepted (9999-12-31T23:59:59Z), in seconds since the epoch. */
  public static final long MAX_COMMIT_TIME = 253_402_300_799L;

  /** Largest source archive the protocol can carry; a worker may accept less (SessionLimits). */
  public static final long MAX_SOURCE_BYTES = 1L << 30;

  /** Largest bundle the protocol can carry; a client may accept less (SessionLimits). */
  public static final long MAX_BUNDLE_BYTES = 4L << 30;

  /** Longest log line, in UTF-8 bytes; longer lines are truncated by the sender. */
  public static final int MAX_LOG_LINE_BYTES = 16 * 1024;

  /** Longest error or result message, in UTF-8 bytes. */
  public static final int MAX_MESSAGE_BYTES = 4096;

  /** Longest host name in an egress request (the DNS limit). */
  public static final int MAX_HOST_BYTES = 253;

  /** Length of a SHA-256 digest. */
  public static final int SHA256_BYTES = 32;

  /** Most entries in one CBOR map of a frame (no frame type has more than 6 fields). */
  static final int MAX_MAP_ENTRIES = 16;

  /** Deepest nesting of maps and arrays in a frame (the frame map counts as 1). */
  static final int MAX_NESTING = 4;

  private Protocol() {}
}
