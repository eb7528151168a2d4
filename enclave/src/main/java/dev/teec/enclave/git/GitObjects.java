package dev.teec.enclave.git;

import dev.teec.digest.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Object ids of SHA-1 git repositories: the SHA-1 of {@code "<type> <size>\0"} followed by the
 * object's content.
 */
public final class GitObjects {
  /** Length of a SHA-1 object id in bytes. */
  public static final int ID_BYTES = 20;

  private static final Pattern SHA1_HEX = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final HexFormat HEX = HexFormat.of();

  private GitObjects() {}

  /** The id of an object of {@code type} ("blob", "tree", "commit") with this content. */
  public static String id(String type, byte[] content) {
    MessageDigest sha1 = start(type, content.length);
    sha1.update(content);
    return HEX.formatHex(sha1.digest());
  }

  /** Whether {@code id} is a SHA-1 object id: 40 lower-case hex digits. */
  public static boolean isSha1(String id) {
    return id != null && SHA1_HEX.matcher(id).matches();
  }

  /** Whether {@code id} is a SHA-256 object id: 64 lower-case hex digits. */
  public static boolean isSha256(String id) {
    return id != null && SHA256_HEX.matcher(id).matches();
  }

  /** A SHA-1 digest that has taken the object header; feed it the content, then {@link #hex}. */
  static MessageDigest start(String type, long size) {
    MessageDigest sha1 = Digests.sha1();
    sha1.update((type + " " + size + "\0").getBytes(StandardCharsets.US_ASCII));
    return sha1;
  }

  static String hex(byte[] id) {
    return HEX.formatHex(id);
  }

  static byte[] unhex(String id) {
    return HEX.parseHex(id);
  }
}
