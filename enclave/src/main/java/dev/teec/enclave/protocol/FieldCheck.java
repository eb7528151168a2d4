package dev.teec.enclave.protocol;

import dev.teec.enclave.text.UntrustedText;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Field checks shared by the frame records. Every failure names the field as it appears on the wire
 * ({@code "<frame type>.<field>"}) so decode errors point at the offending bytes' meaning.
 */
final class FieldCheck {

  private FieldCheck() {}

  static <T> T present(T value, String field) {
    if (value == null) {
      throw new FrameValidationException(ErrorCode.MISSING_FIELD, field + " is required");
    }
    return value;
  }

  /** {@code min <= value <= max}; below is an invalid value, above a limit exceeded. */
  static long range(long value, long min, long max, String field) {
    if (value < min) {
      throw new FrameValidationException(
          ErrorCode.INVALID_VALUE, field + " is " + value + ", must be at least " + min);
    }
    if (value > max) {
      throw new FrameValidationException(
          ErrorCode.LIMIT_EXCEEDED, field + " is " + value + ", must be at most " + max);
    }
    return value;
  }

  static ByteString bytes(ByteString value, int min, int max, String field) {
    present(value, field);
    if (value.size() < min) {
      throw new FrameValidationException(
          ErrorCode.INVALID_VALUE,
          field + " has " + value.size() + " bytes, must have at least " + min);
    }
    if (value.size() > max) {
      throw new FrameValidationException(
          ErrorCode.LIMIT_EXCEEDED,
          field + " has " + value.size() + " bytes, must have at most " + max);
    }
    return value;
  }

  static ByteString sha256(ByteString value, String field) {
    present(value, field);
    if (value.size() != Protocol.SHA256_BYTES) {
      throw new FrameValidationException(
          ErrorCode.INVALID_VALUE,
          field + " has " + value.size() + " bytes, a SHA-256 digest has " + Protocol.SHA256_BYTES);
    }
    return value;
  }

  /** Any well-formed text (no unpaired surrogates) of at most {@code maxBytes} in UTF-8. */
  static String text(String value, int maxBytes, String field) {
    present(value, field);
    int length = utf8Length(value, field);
    if (length > maxBytes) {
      throw new FrameValidationException(
          ErrorCode.LIMIT_EXCEEDED,
          field + " has " + length + " UTF-8 bytes, must have at most " + maxBytes);
    }
    return value;
  }

  /** Non-empty text without control characters, for names shown to people. */
  static String name(String value, int maxBytes, String field) {
    text(value, maxBytes, field);
    if (value.isEmpty()) {
      throw new FrameValidationException(ErrorCode.INVALID_VALUE, field + " must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new FrameValidationException(
            ErrorCode.INVALID_VALUE,
            field
                + " contains control character U+"
                + String.format("%04X", (int) value.charAt(i))
                + " at index "
                + i);
      }
    }
    return value;
  }

  /**
   * A relative {@code /}-separated path of at most {@code maxBytes}: no empty, {@code .} or {@code
   * ..} segment, no backslash or control characters (the rules of source archive names).
   */
  static String relativePath(String value, int maxBytes, String field) {
    name(value, maxBytes, field);
    for (String segment : value.split("/", -1)) {
      if (segment.isEmpty()
          || segment.equals(".")
          || segment.equals("..")
          || segment.indexOf('\\') >= 0) {
        throw new FrameValidationException(
            ErrorCode.INVALID_VALUE,
            field
                + " must be a relative path without empty, '.' or '..' segments or backslashes,"
                + " got \""
                + abbreviate(value)
                + "\"");
      }
    }
    return value;
  }

  /** Null, or a git object id: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits. */
  static String gitObjectId(String value, String field) {
    if (value == null) {
      return null;
    }
    if ((value.length() != 40 && value.length() != 64)
        || !value.chars().allMatch(FieldCheck::isLowerHex)) {
      throw new FrameValidationException(
          ErrorCode.INVALID_VALUE,
          field + " must be 40 or 64 lower-case hex digits, got \"" + abbreviate(value) + "\"");
    }
    return value;
  }

  /**
   * A DNS host name (letters, digits, hyphens, dots; labels of 1..63 not starting or ending with a
   * hyphen) or a dotted IPv4 address, in lower case. Upper case is refused rather than folded so
   * the allowlist compares exactly what was asked for.
   */
  static String host(String value, String field) {
    present(value, field);
    if (value.isEmpty() || value.length() > Protocol.MAX_HOST_BYTES) {
      throw new FrameValidationException(
          value.isEmpty() ? ErrorCode.INVALID_VALUE : ErrorCode.LIMIT_EXCEEDED,
          field
              + " must have 1.."
              + Protocol.MAX_HOST_BYTES
              + " characters, has "
              + value.length());
    }
    for (String label : value.split("\\.", -1)) {
      boolean ok =
          !label.isEmpty()
              && label.length() <= 63
              && label.charAt(0) != '-'
              && label.charAt(label.length() - 1) != '-'
              && label
                  .chars()
                  .allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
      if (!ok) {
        throw new FrameValidationException(
            ErrorCode.INVALID_VALUE,
            field + " is not a lower-case DNS name or IPv4 address: \"" + abbreviate(value) + "\"");
      }
    }
    return value;
  }

  private static boolean isLowerHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  static int utf8Length(String value, String field) {
    try {
      return StandardCharsets.UTF_8
          .newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(value))
          .remaining();
    } catch (CharacterCodingException e) {
      throw new FrameValidationException(
          ErrorCode.INVALID_VALUE, field + " is not well-formed Unicode (unpaired surrogate)");
    }
  }

  /** At most 64 characters of untrusted text for an error message, control characters escaped. */
  static String abbreviate(String value) {
    return UntrustedText.abbreviate(value, 64);
  }

  /**
   * {@code value} with unpaired surrogates replaced by U+FFFD and, if its UTF-8 form is longer than
   * {@code maxBytes}, cut at a code point boundary and ended with "...", so it always passes {@link
   * #text}. For text from outside (build output, exception messages) that must be sent anyway.
   */
  static String fitUtf8(String value, int maxBytes) {
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      i += Character.charCount(cp);
      sb.appendCodePoint(cp <= 0xFFFF && Character.isSurrogate((char) cp) ? 0xFFFD : cp);
    }
    String clean = sb.toString();
    if (utf8Length(clean, "text") <= maxBytes) {
      return clean;
    }
    StringBuilder cut = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < clean.length(); ) {
      int cp = clean.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > maxBytes - 3) {
        break;
      }
      bytes += n;
      cut.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
    return cut.append("...").toString();
  }
}
