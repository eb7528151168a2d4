package dev.teec.verifier.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds tar bytes header by header in the bundle dialect (ustar, mtime/uid/gid 0, empty names), so
 * tests can write both consistent bundles the writer would refuse and hostile archives.
 */
public final class TarBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A regular file entry with its content. */
  public TarBytes file(String name, byte[] content, int mode) {
    header(name, '0', octal(content.length, 11), "", mode);
    return data(content);
  }

  /** A header only, with a raw size field (up to 12 characters), type and link name. */
  public TarBytes header(String name, char type, String sizeField, String linkName, int mode) {
    byte[] h = new byte[512];
    put(h, 0, 100, name);
    put(h, 100, 8, octal(mode, 7));
    put(h, 108, 8, octal(0, 7));
    put(h, 116, 8, octal(0, 7));
    put(h, 124, 12, sizeField);
    put(h, 136, 12, octal(0, 11));
    h[156] = (byte) type;
    put(h, 157, 100, linkName);
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 6, String.format("%06o", sum));
    h[154] = 0;
    h[155] = ' ';
    out.writeBytes(h);
    return this;
  }

  /** Content padded to the next 512-byte record. */
  public TarBytes data(byte[] data) {
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return this;
  }

  /** Two zero blocks, then zero padding to a multiple of 10240 bytes. */
  public byte[] finish() {
    out.writeBytes(new byte[1024]);
    int pad = (10240 - out.size() % 10240) % 10240;
    out.writeBytes(new byte[pad]);
    return out.toByteArray();
  }

  public static String octal(long value, int digits) {
    return String.format("%0" + digits + "o", value);
  }

  private static void put(byte[] h, int at, int length, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > length) {
      throw new IllegalArgumentException(s + " does not fit " + length + " bytes");
    }
    System.arraycopy(b, 0, h, at, b.length);
  }
}
