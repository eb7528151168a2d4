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
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (c == '\t') {
                b.append("    ");
              } else if (c < 0x20
                  || c == 0x7f
                  || (c >= 0x80 && c < 0xa0)
                  || c == 0x2028
                  || c == 0x2029
                  || (c >= 0x202a && c <= 0x202e)
                  || (c >= 0x2066 && c <= 0x2069)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }
}
