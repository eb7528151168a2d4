package dev.teec.truststore.eif;

/**
 * The file is not a well-formed EIF. {@link #offset()} says where the problem was found, so that a
 * corrupted file can be inspected with a hex dump.
 */
public final class EifFormatException extends Exception {
  private static final long serialVersionUID = 1L;
  private final long offset;

  /**
   * @param offset the byte offset in the file where the problem was found
   * @param message what is wrong
   */
  public EifFormatException(long offset, String message) {
    super(message + " (at byte " + offset + ")");
    this.offset = offset;
  }

  /** The byte offset in the file where the problem was found. */
  public long offset() {
    return offset;
  }
}
