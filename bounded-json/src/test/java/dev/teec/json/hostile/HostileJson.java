package dev.teec.json.hostile;

/**
 * JSON values an attacker puts into a document to make a reader spend minutes or gigabytes: each is
 * small or cheap to send and expensive to expand or walk. Shared with other modules' tests through
 * this module's test jar, so that every reader is attacked with the same values.
 */
public final class HostileJson {
  private HostileJson() {}

  /** Eleven characters whose BigDecimal has a scale of -999999999. */
  public static final String HUGE_EXPONENT = "1e999999999";

  /** A number of 1,001 digits: over every reader's number length. */
  public static final String HUGE_DIGITS = "9".repeat(1001);

  /** {@code depth} nested arrays around {@code 0}. */
  public static String nested(int depth) {
    return "[".repeat(depth) + "0" + "]".repeat(depth);
  }

  /** A JSON string of {@code length} characters. */
  public static String string(int length) {
    return "\"" + "x".repeat(length) + "\"";
  }
}
