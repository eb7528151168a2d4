package dev.teec.verifier.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SourceExpectationTest {
  private static final String C = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void parse_forms_lastAtBeforeACommitSeparates() {
    assertThat(SourceExpectation.parse("git+ssh://git@host/repo@" + C.toUpperCase()))
        .isEqualTo(new SourceExpectation("git+ssh://git@host/repo", C, ""));
    assertThat(SourceExpectation.parse("git+https://h/r@" + C + ":app/sub"))
        .isEqualTo(new SourceExpectation("git+https://h/r", C, "app/sub"));
    assertThat(SourceExpectation.parse("git+https://h:8443/r@" + C + ":a@b").path())
        .isEqualTo("a@b");
    assertThat(new SourceExpectation("u", C, "d").toString()).isEqualTo("u@" + C + ":d");
  }

  @Test
  void parse_malformed_saysWhatIsExpected() {
    assertThatThrownBy(() -> SourceExpectation.parse("no-commit-here"))
        .hasMessageContaining("URI@COMMIT");
    assertThatThrownBy(() -> SourceExpectation.parse("u@" + C + ":../etc"))
        .hasMessageContaining("the directory \"../etc\"");
    assertThatThrownBy(() -> SourceExpectation.parse("@" + C)).hasMessageContaining("URI@COMMIT");
  }
}
