package dev.teec.enclave.runner;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-2 helpers; both algorithms are mandatory in every Java runtime. */
final class Digests {
  private Digests() {}

  static MessageDigest sha256() {
    return get("SHA-256");
  }

  static MessageDigest sha384() {
    return get("SHA-384");
  }

  static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest get(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
    }
  }
}
