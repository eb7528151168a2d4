package dev.teec.enclave.text;

/** Untrusted text (from a peer, a build or an upstream) shortened and escaped for one line. */
public final class UntrustedText {
  private UntrustedText() {}

  /**
   * At most {@code max} characters of {@code text}, control characters escaped as a backslash,
   * {@code u} and four hex digits (so a line break cannot end or forge a line), and {@code ...}
   * when it was cut.
   */
  public static String abbreviate(String text, int max) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(text.length(), max);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (text.length() > n) {
      sb.append("...");
    }
    return sb.toString();
  }
}
