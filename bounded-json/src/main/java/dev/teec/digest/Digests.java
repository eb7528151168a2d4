package dev.teec.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digests teec computes, in one place: SHA-256 and SHA-384 (the report's, the bundle's and the
 * NSM's) and SHA-1 (git object ids). Every Java runtime has all three, so their absence is an
 * {@link IllegalStateException}, not a checked exception each caller must handle. Hex is lower
 * case.
 */
public final class Digests {
  private static final HexFormat HEX = HexFormat.of();
  private static final int BUFFER = 64 * 1024;

  private Digests() {}

  /** A fresh SHA-256 digest, for content hashed as it is read or written. */
  public static MessageDigest sha256() {
    return get("SHA-256");
  }

  /** A fresh SHA-384 digest, for content hashed as it is read or written. */
  public static MessageDigest sha384() {
    return get("SHA-384");
  }

  /** A fresh SHA-1 digest: git names its objects by SHA-1. */
  public static MessageDigest sha1() {
    return get("SHA-1");
  }

  /** SHA-256 of {@code data}. */
  public static byte[] sha256(byte[] data) {
    return sha256().digest(data);
  }

  /** SHA-384 of {@code data}. */
  public static byte[] sha384(byte[] data) {
    return sha384().digest(data);
  }

  /** SHA-256 of {@code data}, in hex. */
  public static String sha256Hex(byte[] data) {
    return HEX.formatHex(sha256(data));
  }

  /** SHA-384 of {@code data}, in hex. */
  public static String sha384Hex(byte[] data) {
    return HEX.formatHex(sha384(data));
  }

  /** SHA-256 of a file's content, in hex, read in bounded chunks. */
  public static String sha256Hex(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256Hex(in);
    }
  }

  /** SHA-256 of the rest of {@code in}, in hex; the stream is read to its end, not closed. */
  public static String sha256Hex(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[BUFFER];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      digest.update(buffer, 0, n);
    }
    return hex(digest);
  }

  /** Completes {@code digest} and returns its value in hex. */
  public static String hex(MessageDigest digest) {
    return HEX.formatHex(digest.digest());
  }

  private static MessageDigest get(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
    }
  }
}
