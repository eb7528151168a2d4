package dev.teec.verifier;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.json.hostile.HostileJson;
import dev.teec.verifier.internal.policy.PolicyJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy reader rejects the values of {@link HostileJson} at parsing. */
class PolicyHostileJsonTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "huge exponent, exponent 999999999",
    "huge digits, Number value length",
    "deep nesting, Document nesting depth",
    "huge string, String value length",
    "huge document, exceeds the limit of 1048576 bytes"
  })
  void fromJson_hostileValue_isRejectedAtParsing(String attack, String named) {
    String value =
        switch (attack) {
          case "huge exponent" -> HostileJson.HUGE_EXPONENT;
          case "huge digits" -> HostileJson.HUGE_DIGITS;
          case "deep nesting" -> HostileJson.nested(100);
          case "huge string" -> HostileJson.string(64 * 1024 + 1);
          default -> HostileJson.string(PolicyJson.MAX_BYTES);
        };
    byte[] policy = ("{\"allowDebug\":false,\"x\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Policy.fromJson(new ByteArrayInputStream(policy)))
        .isInstanceOf(PolicyFormatException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining(named);
  }
}
