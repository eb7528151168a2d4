package dev.teec.formats.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A strict reader for the one tar dialect {@link BundleWriter} produces (SPEC W6): POSIX ustar
 * headers with valid checksums, regular files ('0') only, each optionally preceded by one PAX
 * extended header ('x') whose only record is {@code path}; the fixed metadata (mtime 0, uid/gid 0,
 * empty user/group/link names, device numbers 0, empty prefix); zero padding; the two-block
 * end-of-archive marker followed only by zero padding up to one record.
 *
 * <p>It does not use a general tar library on purpose: those normalise names (dropping a leading
 * '/', for instance) and silently apply global headers, and the verifier must see exactly what the
 * archive says. Nothing is read beyond a header until its declared size has been accepted.
 */
final class TarScanner {
  static final int BLOCK = 512;
  static final int MAX_PAX_BYTES = 8 * 1024;
  private static final int MAX_TRAILING_BYTES = 10240;

  /** A regular-file entry: its full name (PAX path applied), size and permission bits. */
  record Header(String name, long size, int mode) {}

  private final InputStream in;
  private final byte[] block = new byte[BLOCK];
  private long offset;
  private long pendingContent = -1;

  TarScanner(InputStream in) {
    this.in = in;
  }

  /**
   * Reads the next entry's header, or returns null at a valid end of archive. The caller must
   * consume the previous entry's content first ({@link #copyContent}).
   *
   * @param sizeLimit decides, from the entry's name, the most bytes it may declare
   */
  Header next(SizeLimit sizeLimit) throws IOException {
    if (pendingContent >= 0) {
      throw new IllegalStateException("content of the previous entry was not read");
    }
    long headerOffset = offset;
    if (!readBlock()) {
      throw new BundleFormatException(
          "archive ends at byte " + offset + " without an end-of-archive marker");
    }
    if (isZero(block)) {
      finish(headerOffset);
      return null;
    }
    RawHeader raw = parseHeader(headerOffset);
    String paxPath = null;
    if (raw.type == 'x') {
      checkMetadata(raw, "PAX header at byte " + headerOffset, true);
      if (raw.size > MAX_PAX_BYTES) {
        throw new BundleFormatException(
            "PAX header at byte "
                + headerOffset
                + " declares "
                + raw.size
                + " bytes, more than "
                + MAX_PAX_BYTES);
      }
      byte[] pax = new byte[(int) raw.size];
      readFully(pax);
      skipPadding(raw.size, "PAX header at byte " + headerOffset);
      paxPath = parsePax(pax, headerOffset);
      headerOffset = offset;
      if (!readBlock() || isZero(block)) {
        throw new BundleFormatException(
            "PAX header at byte " + offset + " is not followed by an entry");
      }
      raw = parseHeader(headerOffset);
      if (raw.type == 'x') {
        throw new BundleFormatException("two PAX headers in a row at byte " + headerOffset);
      }
    }
    if (raw.type != '0') {
      throw new BundleFormatException(
          "entry "
              + describe(raw, paxPath)
              + " at byte "
              + headerOffset
              + " is "
              + typeName(raw.type)
              + "; a bundle holds only regular files");
    }
    checkMetadata(raw, "entry " + describe(raw, paxPath) + " at byte " + headerOffset, false);
    if (paxPath != null) {
      requireTruncatedCopy(paxPath, headerOffset);
    }
    String name = paxPath != null ? paxPath : raw.name;
    if (name == null) {
      throw new BundleFormatException(
          "entry at byte " + headerOffset + " has a name that is not NUL-terminated UTF-8");
    }
    long limit = sizeLimit.forName(name);
    if (raw.size > limit) {
      throw new BundleFormatException(
          "entry " + name + " declares " + raw.size + " bytes, more than the limit " + limit);
    }
    if (raw.mode != BundleLayout.FILE_MODE && raw.mode != BundleLayout.EXECUTABLE_MODE) {
      throw new BundleFormatException(
          "entry " + name + " has mode " + Integer.toOctalString(raw.mode) + ", not 644 or 755");
    }
    pendingContent = raw.size;
    return new Header(name, raw.size, raw.mode);
  }

  /** Copies the current entry's content (exactly its declared size) to {@code out}. */
  void copyContent(OutputStream out, String name) throws IOException {
    long size = pendingContent;
    if (size < 0) {
      throw new IllegalStateException("no entry pending");
    }
    byte[] buffer = new byte[64 * 1024];
    long remaining = size;
    while (remaining > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      if (n < 0) {
        throw new BundleFormatException("archive ends inside entry " + name);
      }
      out.write(buffer, 0, n);
      remaining -= n;
      offset += n;
    }
    skipPadding(size, "entry " + name);
    pendingContent = -1;
  }

  /** Size limits by entry name. */
  interface SizeLimit {
    long forName(String name) throws BundleFormatException;
  }

  // ---------------------------------------------------------------- internals

  private record RawHeader(
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
      boolean prefixEmpty) {}

  private RawHeader parseHeader(long at) throws BundleFormatException {
    long stored = octal(148, 8, "checksum", at);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (block[i] & 0xff);
    }
    if (sum != stored) {
      throw new BundleFormatException("header at byte " + at + " has a bad checksum");
    }
    if (!ascii(257, 6).equals("ustar\0") || !ascii(263, 2).equals("00")) {
      throw new BundleFormatException(
          "header at byte "
              + at
              + " is not a POSIX ustar header (its type says it is "
              + typeName(block[156])
              + ")");
    }
    return new RawHeader(
        nameOrNull(),
        (int) octal(100, 8, "mode", at),
        octal(108, 8, "uid", at),
        octal(116, 8, "gid", at),
        octal(124, 12, "size", at),
        octal(136, 12, "mtime", at),
        block[156],
        isZero(157, 100),
        isZero(265, 32),
        isZero(297, 32),
        octalOrEmpty(329, 8, "devmajor", at),
        octalOrEmpty(337, 8, "devminor", at),
        isZero(345, 167));
  }

  /** The fixed metadata every header of a bundle has. */
  private static void checkMetadata(RawHeader h, String what, boolean pax)
      throws BundleFormatException {
    if (h.uid != 0 || h.gid != 0) {
      throw new BundleFormatException(what + " has uid/gid " + h.uid + "/" + h.gid + ", not 0/0");
    }
    if (h.mtime != 0) {
      throw new BundleFormatException(what + " has mtime " + h.mtime + ", not 0");
    }
    if (!h.userNameEmpty || !h.groupNameEmpty) {
      throw new BundleFormatException(what + " has a user or group name; both must be empty");
    }
    if (!h.linkNameEmpty) {
      throw new BundleFormatException(what + " has a link name");
    }
    if (h.devMajor != 0 || h.devMinor != 0) {
      throw new BundleFormatException(what + " has device numbers");
    }
    if (!h.prefixEmpty) {
      throw new BundleFormatException(what + " uses the ustar prefix field, which bundles do not");
    }
    // commons-compress gives its PAX headers the regular-file type bits in the mode field.
    if (pax && h.mode != 0644 && h.mode != 0100644) {
      throw new BundleFormatException(what + " has mode " + Integer.toOctalString(h.mode));
    }
  }

  /**
   * With a PAX path, the ustar name field must hold its first 100 UTF-8 bytes (all of it when
   * shorter), as the writer puts them, NUL-padded: a reader that ignores PAX headers sees the ustar
   * name, so a field naming some other file ({@code ../../tmp/x}) would extract elsewhere there.
   */
  private void requireTruncatedCopy(String paxPath, long at) throws BundleFormatException {
    byte[] full = paxPath.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(100, full.length);
    boolean same = isZero(n, 100 - n);
    for (int i = 0; same && i < n; i++) {
      same = block[i] == full[i];
    }
    if (!same) {
      throw new BundleFormatException(
          "entry "
              + paxPath
              + " at byte "
              + at
              + " has a ustar name field that is not the start of its PAX path");
    }
  }

  /** Parses "LEN key=value\n" records; only {@code path} is allowed, exactly once. */
  private static String parsePax(byte[] pax, long at) throws BundleFormatException {
    String path = null;
    int pos = 0;
    while (pos < pax.length) {
      int space = indexOf(pax, (byte) ' ', pos);
      if (space < 0 || space == pos || space - pos > 7) {
        throw new BundleFormatException(
            "PAX header at byte " + at + " has a malformed record length");
      }
      int length = 0;
      for (int i = pos; i < space; i++) {
        if (pax[i] < '0' || pax[i] > '9' || (i == pos && pax[i] == '0')) {
          throw new BundleFormatException(
              "PAX header at byte " + at + " has a malformed record length");
        }
        length = length * 10 + (pax[i] - '0');
      }
      int end = pos + length;
      if (end > pax.length || end <= space + 1 || pax[end - 1] != '\n') {
        throw new BundleFormatException(
            "PAX header at byte " + at + " has a record of wrong length");
      }
      int eq = indexOf(pax, (byte) '=', space + 1);
      if (eq < 0 || eq >= end - 1) {
        throw new BundleFormatException("PAX header at byte " + at + " has a record without '='");
      }
      String key = utf8(pax, space + 1, eq - space - 1, "PAX key", at);
      String value = utf8(pax, eq + 1, end - 1 - eq - 1, "PAX value", at);
      if (!key.equals("path")) {
        throw new BundleFormatException(
            "PAX header at byte " + at + " has record \"" + key + "\"; bundles use only \"path\"");
      }
      if (path != null) {
        throw new BundleFormatException("PAX header at byte " + at + " repeats \"path\"");
      }
      path = value;
      pos = end;
    }
    if (path == null) {
      throw new BundleFormatException("PAX header at byte " + at + " has no \"path\" record");
    }
    return path;
  }

  /** After the first zero block: a second one, then nothing but zeros up to one record. */
  private void finish(long at) throws IOException {
    if (!readBlock() || !isZero(block)) {
      throw new BundleFormatException(
          "zero block at byte " + at + " is not followed by a second one");
    }
    byte[] rest = in.readNBytes(MAX_TRAILING_BYTES + 1);
    if (rest.length > MAX_TRAILING_BYTES) {
      throw new BundleFormatException(
          "more than " + MAX_TRAILING_BYTES + " bytes after the end-of-archive marker");
    }
    for (byte b : rest) {
      if (b != 0) {
        throw new BundleFormatException("non-zero data after the end-of-archive marker");
      }
    }
  }

  private void skipPadding(long size, String what) throws IOException {
    int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
    byte[] pad = new byte[padding];
    readFully(pad);
    for (byte b : pad) {
      if (b != 0) {
        throw new BundleFormatException(what + " is followed by non-zero padding");
      }
    }
  }

  private boolean readBlock() throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new BundleFormatException("archive ends inside a header at byte " + offset);
    }
    offset += BLOCK;
    return true;
  }

  private void readFully(byte[] b) throws IOException {
    int n = in.readNBytes(b, 0, b.length);
    if (n < b.length) {
      throw new BundleFormatException("archive ends early at byte " + (offset + n));
    }
    offset += n;
  }

  private long octal(int start, int length, String field, long at) throws BundleFormatException {
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

  private long octalOrEmpty(int start, int length, String field, long at)
      throws BundleFormatException {
    return isZero(start, length) ? 0 : octal(start, length, field, at);
  }

  /**
   * The name field as UTF-8, or null when it is not (which matters only without a PAX path: with
   * one, the field holds a truncated copy, checked by {@link #requireTruncatedCopy}).
   */
  private String nameOrNull() {
    int end = 0;
    while (end < 100 && block[end] != 0) {
      end++;
    }
    if (!isZero(end, 100 - end)) {
      return null;
    }
    try {
      return utf8(block, 0, end, "name", 0);
    } catch (BundleFormatException e) {
      return null;
    }
  }

  private String ascii(int start, int length) {
    return new String(block, start, length, StandardCharsets.ISO_8859_1);
  }

  private static String utf8(byte[] bytes, int start, int length, String field, long at)
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

  private boolean isZero(int start, int length) {
    for (int i = start; i < start + length; i++) {
      if (block[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] b, byte value, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static String describe(RawHeader raw, String paxPath) {
    return paxPath != null ? paxPath : raw.name != null ? raw.name : "(unreadable name)";
  }

  private static String typeName(byte type) {
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
