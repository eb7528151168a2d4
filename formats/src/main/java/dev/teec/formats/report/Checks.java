package dev.teec.formats.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/** Argument checks shared by the report's value types; failures are IllegalArgumentExceptions. */
final class Checks {
  private Checks() {}

  static String sha256(String value, String what) {
    return hex(value, 64, what + " (SHA-256)");
  }

  static String hex(String value, int length, String what) {
    Objects.requireNonNull(value, what);
    if (value.length() != length || !isLowerHex(value)) {
      throw new IllegalArgumentException(
          what + " must be " + length + " lowercase hex digits, got \"" + abbreviate(value) + "\"");
    }
    return value;
  }

  /** A git object id: SHA-1 (40 hex digits) or SHA-256 (64). */
  static String gitObjectId(String value, String what) {
    Objects.requireNonNull(value, what);
    if ((value.length() != 40 && value.length() != 64) || !isLowerHex(value)) {
      throw new IllegalArgumentException(
          what
              + " must be a git object id (40 or 64 lowercase hex digits), got \""
              + abbreviate(value)
              + "\"");
    }
    return value;
  }

  /**
   * An absolute RFC 3986 URI whose scheme is lowercase, as in-toto's ResourceURI/TypeURI require.
   */
  static String uri(String value, String what) {
    Objects.requireNonNull(value, what);
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(what + " is not a valid URI: " + e.getMessage());
    }
    if (!uri.isAbsolute()) {
      throw new IllegalArgumentException(
          what + " must be an absolute URI, got \"" + abbreviate(value) + "\"");
    }
    String scheme = uri.getScheme();
    if (!scheme.equals(scheme.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException(
          what + " must have a lowercase scheme, got \"" + abbreviate(value) + "\"");
    }
    return value;
  }

  /** A non-empty string of at most {@code max} chars without control characters. */
  static String text(String value, int max, String what) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty() || value.length() > max) {
      throw new IllegalArgumentException(what + " must be 1.." + max + " characters long");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            what
                + " contains control character U+"
                + String.format("%04X", (int) c)
                + " at index "
                + i);
      }
    }
    return value;
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
