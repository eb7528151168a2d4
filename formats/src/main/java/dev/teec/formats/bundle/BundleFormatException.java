package dev.teec.formats.bundle;

import java.io.IOException;

/** A bundle (or the parts given to the writer) that breaks the layout of SPEC W6. */
public final class BundleFormatException extends IOException {
  BundleFormatException(String message) {
    super(message);
  }

  BundleFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
