package dev.teec.verifier.internal.cbor;

/**
 * A structural pass over CBOR bytes (RFC 8949 §3) that enforces what the PeterO decoder lets
 * through: shortest-form heads, indefinite lengths only for maps and only where permitted, a
 * nesting limit, and exactly one item with nothing after it. It reports the byte offset of each
 * problem. Content rules (duplicate keys, UTF-8) are left to the decoder that runs afterwards.
 */
public final class CborScanner {
  /** Deeper than any real document (which nests 4 levels) yet small enough to bound recursion. */
  static final int MAX_DEPTH = 16;

  private static final int BREAK = 0xff;

  private final byte[] data;
  private final String what;
  private final boolean indefiniteMapsAllowed;
  private int pos;

  private CborScanner(byte[] data, String what, boolean indefiniteMapsAllowed) {
    this.data = data;
    this.what = what;
    this.indefiniteMapsAllowed = indefiniteMapsAllowed;
  }

  /**
   * Checks that {@code data} is exactly one well-formed item in shortest form.
   *
   * @param indefiniteMapsAllowed whether maps may use indefinite length ({@code 0xbf ... 0xff}), as
   *     NSM payloads from 2025 on do; indefinite strings and arrays are never allowed
   * @throws CborFormatException naming the offset and the problem
   */
  public static void scan(byte[] data, String what, boolean indefiniteMapsAllowed)
      throws CborFormatException {
    CborScanner s = new CborScanner(data, what, indefiniteMapsAllowed);
    if (data.length == 0) {
      throw new CborFormatException(what + " is empty");
    }
    s.item(0);
    if (s.pos != data.length) {
      throw new CborFormatException(
          what
              + " has "
              + (data.length - s.pos)
              + " byte(s) after the end of its CBOR item (at offset "
              + s.pos
              + ")");
    }
  }

  private void item(int depth) throws CborFormatException {
    if (depth > MAX_DEPTH) {
      throw error("nests deeper than " + MAX_DEPTH + " levels");
    }
    int start = pos;
    int initial = readByte();
    int major = initial >>> 5;
    int info = initial & 0x1f;
    if (info == 31) {
      indefinite(major, start, depth);
      return;
    }
    long argument = argument(info, start);
    switch (major) {
      case 0, 1 -> {}
      case 2, 3 -> skip(argument, start);
      case 4 -> {
        for (long i = 0; i < argument; i++) {
          item(depth + 1);
        }
      }
      case 5 -> {
        for (long i = 0; i < argument; i++) {
          item(depth + 1);
          item(depth + 1);
        }
      }
      case 6 -> item(depth + 1);
      case 7 -> simple(info, argument, start);
      default -> throw new IllegalStateException("major type is 3 bits");
    }
  }

  private void indefinite(int major, int start, int depth) throws CborFormatException {
    if (major != 5) {
      throw error(
          "uses an indefinite length for "
              + (major == 7 ? "a break outside any indefinite-length item" : typeName(major))
              + " at offset "
              + start
              + "; only maps may be indefinite");
    }
    if (!indefiniteMapsAllowed) {
      throw error(
          "uses an indefinite-length map at offset " + start + ", which is not allowed here");
    }
    while (true) {
      if (pos >= data.length) {
        throw error("ends inside the indefinite-length map that starts at offset " + start);
      }
      if ((data[pos] & 0xff) == BREAK) {
        pos++;
        return;
      }
      item(depth + 1);
      if (pos < data.length && (data[pos] & 0xff) == BREAK) {
        throw error("has a map key without a value in the map at offset " + start);
      }
      item(depth + 1);
    }
  }

  private long argument(int info, int start) throws CborFormatException {
    if (info < 24) {
      return info;
    }
    int size =
        switch (info) {
          case 24 -> 1;
          case 25 -> 2;
          case 26 -> 4;
          case 27 -> 8;
          default ->
              throw error(
                  "has a reserved additional-information value " + info + " at offset " + start);
        };
    if (pos + size > data.length) {
      throw error("ends inside the head of the item at offset " + start);
    }
    long value = 0;
    for (int i = 0; i < size; i++) {
      value = (value << 8) | (data[pos++] & 0xff);
    }
    int major = (data[start] & 0xff) >>> 5;
    // Major type 7 carries floats and simple values, not numbers or lengths: simple() checks it.
    long minimum = size == 1 ? 24 : size == 2 ? 0x100 : size == 4 ? 0x10000 : 0x100000000L;
    if (major != 7 && Long.compareUnsigned(value, minimum) < 0) {
      throw error(
          "has a non-shortest head at offset "
              + start
              + " (value "
              + value
              + " in "
              + size
              + " bytes)");
    }
    return value;
  }

  private void simple(int info, long argument, int start) throws CborFormatException {
    if (info == 24 && argument < 32) {
      throw error("has an invalid two-byte simple value " + argument + " at offset " + start);
    }
  }

  private void skip(long length, int start) throws CborFormatException {
    if (length < 0 || length > data.length - pos) {
      throw error(
          "ends inside the string that starts at offset "
              + start
              + " (it declares "
              + length
              + " bytes)");
    }
    pos += (int) length;
  }

  private int readByte() throws CborFormatException {
    if (pos >= data.length) {
      throw error("ends where an item was expected (offset " + pos + ")");
    }
    return data[pos++] & 0xff;
  }

  private CborFormatException error(String problem) {
    return new CborFormatException(what + " is not well-formed CBOR: it " + problem);
  }

  private static String typeName(int major) {
    return switch (major) {
      case 0 -> "an unsigned integer";
      case 1 -> "a negative integer";
      case 2 -> "a byte string";
      case 3 -> "a text string";
      case 4 -> "an array";
      case 6 -> "a tag";
      default -> "major type " + major;
    };
  }
}
