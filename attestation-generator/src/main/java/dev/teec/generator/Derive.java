package dev.teec.generator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA384Digest;

/**
 * Deterministic pseudo-random bytes from text: the one source of every "random" value in a
 * simulated chain or document (keys, serial numbers, instance ids, PCR values). Each part is
 * length-prefixed so that ("ab", "c") and ("a", "bc") never collide.
 */
public final class Derive {
  private static final String DOMAIN = "teec-test-vectors/v1";

  private Derive() {}

  /** SHA-384 over the domain and the length-prefixed UTF-8 parts. */
  public static byte[] sha384(String... parts) {
    return digest(-1, parts);
  }

  /** {@code length} bytes: SHA-384 in counter mode over the parts. */
  public static byte[] bytes(int length, String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int counter = 0; out.size() < length; counter++) {
      out.writeBytes(digest(counter, parts));
    }
    return Arrays.copyOf(out.toByteArray(), length);
  }

  /** Lowercase hex of {@code length} derived bytes. */
  public static String hex(int length, String... parts) {
    return HexFormat.of().formatHex(bytes(length, parts));
  }

  private static byte[] digest(int counter, String... parts) {
    SHA384Digest d = new SHA384Digest();
    update(d, DOMAIN.getBytes(StandardCharsets.UTF_8));
    for (String part : parts) {
      update(d, part.getBytes(StandardCharsets.UTF_8));
    }
    if (counter >= 0) {
      update(
          d,
          new byte[] {
            (byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter
          });
    }
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  private static void update(SHA384Digest d, byte[] part) {
    int n = part.length;
    d.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n}, 0, 4);
    d.update(part, 0, n);
  }
}
