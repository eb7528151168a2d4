package dev.teec.verifier;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string. Records in this API hold {@code Bytes} instead of {@code byte[]} so
 * that values cannot be changed after they were verified, and so that equality means equal content.
 */
public final class Bytes {
  private static final HexFormat HEX = HexFormat.of();
  private static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] data;

  /** Cached {@link #hashCode()}; 0 until computed (a benign race, as in {@link String}). */
  private int hash;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** A copy of {@code data}; later changes to the array do not affect the result. */
  public static Bytes of(byte[] data) {
    return data.length == 0 ? EMPTY : new Bytes(data.clone());
  }

  /** The empty byte string. */
  public static Bytes empty() {
    return EMPTY;
  }

  /**
   * Parses lowercase or uppercase hex, optionally prefixed with {@code 0x}.
   *
   * @throws IllegalArgumentException if the text is not an even number of hex digits
   */
  public static Bytes fromHex(String hex) {
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if (digits.length() % 2 != 0) {
      throw new IllegalArgumentException(
          "hex must have an even number of digits, got " + digits.length());
    }
    try {
      return of(HEX.parseHex(digits));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex: " + abbreviate(digits), e);
    }
  }

  /** A fresh copy of the content. */
  public byte[] toByteArray() {
    return data.clone();
  }

  public int length() {
    return data.length;
  }

  public boolean isEmpty() {
    return data.length == 0;
  }

  /** True when every byte is zero (also for the empty string). */
  public boolean isAllZero() {
    int acc = 0;
    for (byte b : data) {
      acc |= b;
    }
    return acc == 0;
  }

  /** Lowercase hex of the content. */
  public String hex() {
    return HEX.formatHex(data);
  }

  /** Constant-time comparison, for comparing against expected secrets such as nonces. */
  public boolean constantTimeEquals(Bytes other) {
    return MessageDigest.isEqual(data, other.data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(data);
      hash = h;
    }
    return h;
  }

  /** Lowercase hex of the content. */
  @Override
  public String toString() {
    return hex();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
