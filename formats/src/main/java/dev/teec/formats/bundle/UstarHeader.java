package dev.teec.formats.bundle;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One POSIX ustar header block as {@link TarScanner} reads it: its fields parsed strictly, and the
 * fixed metadata every header of a bundle has. The name is null when the field is not
 * NUL-terminated UTF-8.
 */
record UstarHeader(
    String name,
    int mode,
    long uid,
    long gid,
    long size,
    long mtime,
    byte type,
    boolean linkNameEmpty,
    boolean userNameEmpty,
    boolean groupNameEmpty,
    long devMajor,
    long devMinor,
    boolean prefixEmpty) {
  /**
   * Parses the header in {@code block}, found at byte {@code at} of the archive: its checksum and
   * magic must be valid, and every numeric field octal.
   */
  static UstarHeader parse(byte[] block, long at) throws BundleFormatException {
    long stored = octal(block, 148, 8, "checksum", at);
    long sum = 0;
    for (int i = 0; i < TarScanner.BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (block[i] & 0xff);
    }
    if (sum != stored) {
      throw new BundleFormatException("header at byte " + at + " has a bad checksum");
    }
    if (!ascii(block, 257, 6).equals("ustar\0") || !ascii(block, 263, 2).equals("00")) {
      throw new BundleFormatException(
          "header at byte "
              + at
              + " is not a POSIX ustar header (its type says it is "
              + typeName(block[156])
              + ")");
    }
    return new UstarHeader(
        nameOrNull(block),
        (int) octal(block, 100, 8, "mode", at),
        octal(block, 108, 8, "uid", at),
        octal(block, 116, 8, "gid", at),
        octal(block, 124, 12, "size", at),
        octal(block, 136, 12, "mtime", at),
        block[156],
        isZero(block, 157, 100),
        isZero(block, 265, 32),
        isZero(block, 297, 32),
        octalOrEmpty(block, 329, 8, "devmajor", at),
        octalOrEmpty(block, 337, 8, "devminor", at),
        isZero(block, 345, 167));
  }

  /** The fixed metadata every header of a bundle has. */
  void checkFixedMetadata(String what, boolean pax) throws BundleFormatException {
    if (uid != 0 || gid != 0) {
      throw new BundleFormatException(what + " has uid/gid " + uid + "/" + gid + ", not 0/0");
    }
    if (mtime != 0) {
      throw new BundleFormatException(what + " has mtime " + mtime + ", not 0");
    }
    if (!userNameEmpty || !groupNameEmpty) {
      throw new BundleFormatException(what + " has a user or group name; both must be empty");
    }
    if (!linkNameEmpty) {
      throw new BundleFormatException(what + " has a link name");
    }
    if (devMajor != 0 || devMinor != 0) {
      throw new BundleFormatException(what + " has device numbers");
    }
    if (!prefixEmpty) {
      throw new BundleFormatException(what + " uses the ustar prefix field, which bundles do not");
    }
    // commons-compress gives its PAX headers the regular-file type bits in the mode field.
    if (pax && mode != 0644 && mode != 0100644) {
      throw new BundleFormatException(what + " has mode " + Integer.toOctalString(mode));
    }
  }

  private static long octal(byte[] block, int start, int length, String field, long at)
      throws BundleFormatException {
    int end = start + length;
    int i = start;
    long value = 0;
    int digits = 0;
    while (i < end && block[i] >= '0' && block[i] <= '7') {
      value = value * 8 + (block[i] - '0');
      digits++;
      i++;
    }
    if (digits == 0) {
      throw new BundleFormatException(
          "header at byte " + at + " has a non-octal " + field + " field");
    }
    for (; i < end; i++) {
      if (block[i] != 0 && block[i] != ' ') {
        throw new BundleFormatException(
            "header at byte " + at + " has a malformed " + field + " field");
      }
    }
    return value;
  }

  private static long octalOrEmpty(byte[] block, int start, int length, String field, long at)
      throws BundleFormatException {
    return isZero(block, start, length) ? 0 : octal(block, start, length, field, at);
  }

  /**
   * The name field as UTF-8, or null when it is not (which matters only without a PAX path: with
   * one, the field holds a truncated copy, checked by {@link TarScanner}).
   */
  private static String nameOrNull(byte[] block) {
    int end = 0;
    while (end < 100 && block[end] != 0) {
      end++;
    }
    if (!isZero(block, end, 100 - end)) {
      return null;
    }
    try {
      return utf8(block, 0, end, "name", 0);
    } catch (BundleFormatException e) {
      return null;
    }
  }

  private static String ascii(byte[] block, int start, int length) {
    return new String(block, start, length, StandardCharsets.ISO_8859_1);
  }

  static String utf8(byte[] bytes, int start, int length, String field, long at)
      throws BundleFormatException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, start, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BundleFormatException(
          "header at byte " + at + " has a " + field + " that is not UTF-8", e);
    }
  }

  static boolean isZero(byte[] block, int start, int length) {
    for (int i = start; i < start + length; i++) {
      if (block[i] != 0) {
        return false;
      }
    }
    return true;
  }

  static String typeName(byte type) {
    return switch (type) {
      case '1' -> "a hard link";
      case '2' -> "a symbolic link";
      case '3' -> "a character device";
      case '4' -> "a block device";
      case '5' -> "a directory";
      case '6' -> "a FIFO";
      case '7' -> "a contiguous file";
      case 0 -> "an old-style (pre-POSIX) file entry";
      case 'g' -> "a PAX global header";
      case 'L', 'K' -> "a GNU long name/link header";
      case 'S' -> "a GNU sparse file";
      case '0' -> "a regular file";
      case 'x' -> "a PAX extended header";
      default ->
          "of unknown type '"
              + (char) (type & 0xff)
              + "' (0x"
              + Integer.toHexString(type & 0xff)
              + ")";
    };
  }
}
