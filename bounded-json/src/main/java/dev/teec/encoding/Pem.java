package dev.teec.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * PEM text (RFC 7468) as every teec output writes it: one encoder, so that certificates and keys
 * come out byte for byte alike wherever they are written (registries, images, reports, keys).
 */
public final class Pem {
  private static final Base64.Encoder BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  /**
   * {@code der} as one PEM block: base64 in lines of 64 characters, LF line ends, a final LF.
   *
   * @param label the block's label, e.g. {@code CERTIFICATE} or {@code PUBLIC KEY}
   * @param der the DER bytes the block holds
   */
  public static String encode(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + BASE64.encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /** {@code der} as a {@code CERTIFICATE} block ({@link #encode}). */
  public static String certificate(byte[] der) {
    return encode("CERTIFICATE", der);
  }
}
