package dev.teec.enclave.protocol;

/**
 * The verified length and SHA-256 of a streamed archive or bundle.
 *
 * @param size number of bytes
 * @param sha256 SHA-256 of the bytes
 */
public record StreamDigest(long size, ByteString sha256) {

  /** Checks the digest length. */
  public StreamDigest {
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, got " + size);
    }
    FieldCheck.sha256(sha256, "sha256");
  }
}
