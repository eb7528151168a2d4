package dev.teec.verifier.internal.cbor;

/** Bytes that are not the one well-formed CBOR item expected. */
public final class CborFormatException extends Exception {
  public CborFormatException(String message) {
    super(message);
  }

  public CborFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
