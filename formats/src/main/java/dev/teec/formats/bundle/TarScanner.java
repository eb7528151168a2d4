package dev.teec.formats.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
    UstarHeader raw = UstarHeader.parse(block, headerOffset);
    String paxPath = null;
    if (raw.type() == 'x') {
      raw.checkFixedMetadata("PAX header at byte " + headerOffset, true);
      if (raw.size() > MAX_PAX_BYTES) {
        throw new BundleFormatException(
            "PAX header at byte "
                + headerOffset
                + " declares "
                + raw.size()
                + " bytes, more than "
                + MAX_PAX_BYTES);
      }
      byte[] pax = new byte[(int) raw.size()];
      readFully(pax);
      skipPadding(raw.size(), "PAX header at byte " + headerOffset);
      paxPath = parsePax(pax, headerOffset);
      headerOffset = offset;
      if (!readBlock() || isZero(block)) {
        throw new BundleFormatException(
            "PAX header at byte " + offset + " is not followed by an entry");
      }
      raw = UstarHeader.parse(block, headerOffset);
      if (raw.type() == 'x') {
        throw new BundleFormatException("two PAX headers in a row at byte " + headerOffset);
      }
    }
    if (raw.type() != '0') {
      throw new BundleFormatException(
          "entry "
              + describe(raw, paxPath)
              + " at byte "
              + headerOffset
              + " is "
              + UstarHeader.typeName(raw.type())
              + "; a bundle holds only regular files");
    }
    raw.checkFixedMetadata("entry " + describe(raw, paxPath) + " at byte " + headerOffset, false);
    if (paxPath != null) {
      requireTruncatedCopy(paxPath, headerOffset);
    }
    String name = paxPath != null ? paxPath : raw.name();
    if (name == null) {
      throw new BundleFormatException(
          "entry at byte " + headerOffset + " has a name that is not NUL-terminated UTF-8");
    }
    long limit = sizeLimit.forName(name);
    if (raw.size() > limit) {
      throw new BundleFormatException(
          "entry " + name + " declares " + raw.size() + " bytes, more than the limit " + limit);
    }
    if (raw.mode() != BundleLayout.FILE_MODE && raw.mode() != BundleLayout.EXECUTABLE_MODE) {
      throw new BundleFormatException(
          "entry " + name + " has mode " + Integer.toOctalString(raw.mode()) + ", not 644 or 755");
    }
    pendingContent = raw.size();
    return new Header(name, raw.size(), raw.mode());
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

  /**
   * With a PAX path, the ustar name field must hold its first 100 UTF-8 bytes (all of it when
   * shorter), as the writer puts them, NUL-padded: a reader that ignores PAX headers sees the ustar
   * name, so a field naming some other file ({@code ../../tmp/x}) would extract elsewhere there.
   */
  private void requireTruncatedCopy(String paxPath, long at) throws BundleFormatException {
    byte[] full = paxPath.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(100, full.length);
    boolean same = UstarHeader.isZero(block, n, 100 - n);
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
      String key = UstarHeader.utf8(pax, space + 1, eq - space - 1, "PAX key", at);
      String value = UstarHeader.utf8(pax, eq + 1, end - 1 - eq - 1, "PAX value", at);
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

  private static String describe(UstarHeader raw, String paxPath) {
    return paxPath != null ? paxPath : raw.name() != null ? raw.name() : "(unreadable name)";
  }
}
