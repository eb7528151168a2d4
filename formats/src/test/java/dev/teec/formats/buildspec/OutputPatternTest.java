package dev.teec.formats.buildspec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutputPatternTest {
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "target/app, target/app, true",
    "target/app, target/app2, false",
    "target/*.jar, target/a.jar, true",
    "target/*.jar, target/.hidden.jar, true",
    "target/*.jar, target/sub/a.jar, false",
    "target/?.o, target/a.o, true",
    "target/?.o, target/ab.o, false",
    "**/*.so, a.so, true",
    "**/*.so, x/y/z/a.so, true",
    "dist/**, dist/a, true",
    "dist/**, dist/a/b/c, true",
    "dist/**, dist, true",
    "dist/**, other/a, false",
    "a/**/b, a/b, true",
    "a/**/b, a/x/y/b, true",
    "a/**/b, a/x/y/c, false",
    "a/**/**/b, a/b, true",
    "*, top, true",
    "*, dir/top, false",
    "a.b, axb, false",
    "a+(b), a+(b), true",
    "$x^, $x^, true",
  })
  void matches_followsTheGlobRules(String pattern, String path, boolean expected) {
    assertThat(OutputPattern.compile(pattern).matches(path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "target/debug/app, target/debug, true",
    "target/*/app, target, false",
    "*.jar, '', false",
    "a/b/**/c, a/b, false",
  })
  void baseDirectory_isTheLiteralLeadingDirectory(String pattern, String base, boolean literal) {
    OutputPattern p = OutputPattern.compile(pattern);
    assertThat(p.baseDirectory()).isEqualTo(base);
    assertThat(p.isLiteral()).isEqualTo(literal);
  }

  @Test
  void compile_invalid_throwsWithReason() {
    assertThatThrownBy(() -> OutputPattern.compile("../x")).hasMessageContaining("'..'");
    assertThatThrownBy(() -> OutputPattern.compile("x".repeat(1025)))
        .hasMessageContaining("longer than 1024");
  }

  @Test
  void equality_byPattern() {
    assertThat(OutputPattern.compile("a/*"))
        .isEqualTo(OutputPattern.compile("a/*"))
        .hasToString("a/*");
  }
}
