package dev.teec.builder.progress;

import java.util.Locale;

/** Text from outside made safe to print on a terminal. */
public final class TerminalText {
  private TerminalText() {}

  /**
   * {@code text} with control characters (including ESC and CR), C1 controls, line and paragraph
   * separators and bidirectional overrides shown as {@code \\uXXXX}, and tabs as four spaces. Build
   * logs, document fields and file names come from outside; they must not be able to move the
   * cursor, recolour the terminal or reorder what the reader sees.
   */
  public static String safe(String text) {
    // Most text needs nothing: return it without building a copy (a batch of documents prints
    // a few dozen fields each). Every escaped code point (tab too) is a single char, none a
    // surrogate, so scanning chars finds the first that needs work.
    int first = 0;
    while (first < text.length() && !escaped(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\t') {
        b.append("    ");
      } else if (escaped(c)) {
        b.append(String.format(Locale.ROOT, "\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    }
    return b.toString();
  }

  /** True for the code points {@link #safe} replaces: controls, separators, bidi overrides. */
  private static boolean escaped(int c) {
    return c < 0x20
        || c == 0x7f
        || (c >= 0x80 && c < 0xa0)
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }
}
