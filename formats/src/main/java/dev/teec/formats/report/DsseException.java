package dev.teec.formats.report;

import java.security.GeneralSecurityException;

/** A DSSE envelope that is malformed, of the wrong payload type, or not signed by the given key. */
public final class DsseException extends GeneralSecurityException {
  DsseException(String message) {
    super(message);
  }

  DsseException(String message, Throwable cause) {
    super(message, cause);
  }
}
