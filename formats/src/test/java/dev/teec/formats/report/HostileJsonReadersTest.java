package dev.teec.formats.report;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.formats.buildspec.BuildSpecException;
import dev.teec.json.hostile.HostileJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JSON reader of this module (the report, the DSSE envelope, build.json) rejects the values
 * of {@link HostileJson} at parsing, before any of them is expanded or walked: the report's {@code
 * "a":1e999999999} inside buildJson used to cost minutes of CPU in the canonical-form check.
 */
class HostileJsonReadersTest {
  /** A hostile value, and what the rejection must name. */
  record Attack(String name, String value, String named) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Attack[] attacks() {
    return new Attack[] {
      new Attack("huge exponent", HostileJson.HUGE_EXPONENT, "exponent 999999999"),
      new Attack("huge digits", HostileJson.HUGE_DIGITS, "Number value length"),
      new Attack("deep nesting", HostileJson.nested(100), "Document nesting depth"),
      new Attack(
          "huge string", HostileJson.string(ReportJson.MAX_STRING + 1), "String value length")
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void report_hostileValueInBuildJson_isRejectedAtParsing(Attack attack) {
    String report = new String(TestReports.sample().canonicalBytes(), StandardCharsets.UTF_8);
    byte[] hostile =
        report
            .replace("\"buildJson\":{", "\"buildJson\":{\"a\":" + attack.value() + ",")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ProvenanceReport.parse(hostile))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining(attack.named());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void dsse_hostileValue_isRejectedAtParsing(Attack attack) {
    // The payload may be as long as the envelope, so a string is bounded by the envelope's size.
    boolean string = attack.name().equals("huge string");
    byte[] hostile =
        ("{\"payload\":\"e30\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AA\",\"x\":"
                + (string ? HostileJson.string(DsseEnvelope.MAX_BYTES) : attack.value())
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    String named = string ? "envelope must be 1.." + DsseEnvelope.MAX_BYTES : attack.named();
    assertThatThrownBy(() -> DsseEnvelope.parse(hostile))
        .isInstanceOf(DsseException.class)
        .hasMessageContaining(named);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void buildJson_hostileValue_isRejectedAtParsing(Attack attack) {
    byte[] hostile =
        ("{\"language\":\"c\",\"input\":{\"cmd\":\"make\",\"timeoutSeconds\":"
                + attack.value()
                + "},\"output\":{\"files\":[\"a\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    // build.json is at most 64 KiB, so a string longer than that is rejected by its size.
    String named =
        attack.name().equals("huge string") ? "larger than " + BuildSpec.MAX_BYTES : attack.named();
    assertThatThrownBy(() -> BuildSpec.parse(hostile))
        .isInstanceOf(BuildSpecException.class)
        .hasMessageContaining(named);
  }
}
