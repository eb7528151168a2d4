package dev.teec.builder.progress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
  @Test
  void safe_plainText_isReturnedUnchanged() {
    String text = "CN=caf\u00e9, module i-0123 \uD83D\uDE00";

    assertThat(TerminalText.safe(text)).isSameAs(text);
    assertThat(TerminalText.safe("")).isEmpty();
  }

  @Test
  void safe_controlsAtEitherEnd_areEscaped() {
    assertThat(TerminalText.safe("\u001b[31mred\u0007")).isEqualTo("\\u001b[31mred\\u0007");
    assertThat(TerminalText.safe("\r")).isEqualTo("\\u000d");
    assertThat(TerminalText.safe("a\u007f")).isEqualTo("a\\u007f");
  }

  @Test
  void safe_tab_becomesFourSpaces() {
    assertThat(TerminalText.safe("a\tb")).isEqualTo("a    b");
  }

  @Test
  void safe_c1SeparatorsAndBidiControls_areEscaped() {
    assertThat(TerminalText.safe("\u0085\u009b\u2028\u2029\u202a\u202e\u2066\u2069"))
        .isEqualTo("\\u0085\\u009b\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069");
    assertThat(TerminalText.safe("\u00a0\u202f\u2065\u206a")).isEqualTo("\u00a0\u202f\u2065\u206a");
  }

  @Test
  void safe_astralCodePointsAroundAnEscape_arePreserved() {
    assertThat(TerminalText.safe("\uD83D\uDE00\u202e\uD83D\uDE01\uD800"))
        .isEqualTo("\uD83D\uDE00\\u202e\uD83D\uDE01\uD800");
  }
}
