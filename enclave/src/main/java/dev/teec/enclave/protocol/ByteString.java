package dev.teec.enclave.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable byte string, so frames can be records with value semantics (equality by content)
 * without exposing mutable arrays. Every way in and out copies, except where a method says not.
 */
public final class ByteString {

  private static final int TO_STRING_PREFIX = 16;

  private final byte[] data;

  private ByteString(byte[] data) {
    this.data = data;
  }

  /** A copy of {@code data}. */
  public static ByteString of(byte[] data) {
    return new ByteString(data.clone());
  }

  /** A copy of {@code length} bytes of {@code data} starting at {@code offset}. */
  public static ByteString of(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    return new ByteString(Arrays.copyOfRange(data, offset, offset + length));
  }

  /** The bytes spelled by {@code hex} (two hex digits per byte, either case). */
  public static ByteString fromHex(String hex) {
    return new ByteString(HexFormat.of().parseHex(hex));
  }

  /**
   * Takes ownership of {@code data} without copying; for arrays nobody else holds (freshly decoded
   * or read), where a copy of up to a chunk per frame would be pure waste.
   */
  static ByteString wrap(byte[] data) {
    return new ByteString(data);
  }

  /** The backing array itself, for the encoder, which only reads it. */
  byte[] array() {
    return data;
  }

  /** The number of bytes. */
  public int size() {
    return data.length;
  }

  /** A fresh copy of the bytes. */
  public byte[] toArray() {
    return data.clone();
  }

  /** Writes the bytes to {@code out} without copying them. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(data);
  }

  /** Feeds the bytes to {@code digest} without copying them. */
  public void updateDigest(MessageDigest digest) {
    digest.update(data);
  }

  /** Lower-case hex. */
  public String hex() {
    return HexFormat.of().formatHex(data);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ByteString b && Arrays.equals(data, b.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  /** The length and up to the first 16 bytes in hex, so logs of large chunks stay short. */
  @Override
  public String toString() {
    if (data.length <= TO_STRING_PREFIX) {
      return "ByteString[" + data.length + "]" + hex();
    }
    return "ByteString["
        + data.length
        + "]"
        + HexFormat.of().formatHex(data, 0, TO_STRING_PREFIX)
        + "...";
  }
}
