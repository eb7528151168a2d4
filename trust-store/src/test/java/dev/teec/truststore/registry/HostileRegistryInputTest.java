package dev.teec.truststore.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import dev.teec.json.hostile.HostileJson;
import dev.teec.verifier.CheckStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JSON reader of the registry (the document, the signed envelope, a signature's protected
 * header, the pinned key set) rejects the values of {@link HostileJson} at parsing, before the JOSE
 * library or the registry rules see them.
 */
class HostileRegistryInputTest {
  private static final ECKey ALICE = MaintainerKeys.generate("alice");

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
          "huge string", HostileJson.string(RegistryJson.MAX_STRING + 1), "String value length")
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void document_hostileValue_isRejectedAtParsing(Attack attack) {
    String document = new String(RegistryJson.serialize(registry()), StandardCharsets.UTF_8);
    byte[] hostile =
        document
            .replaceFirst("\\{", "{\"x\": " + attack.value() + ",")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RegistryJson.parse(hostile))
        .isInstanceOf(RegistryFormatException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining(attack.named());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void envelope_hostileValue_failsTheFormatCheck(Attack attack) {
    // The envelope carries the document in base64url, so its strings may be longer.
    boolean string = attack.name().equals("huge string");
    String envelope = RegistrySigner.sign(registry(), ALICE);
    String hostile =
        envelope.replaceFirst(
            "\\{",
            "{\"x\": "
                + (string ? HostileJson.string(RegistryJson.MAX_ENVELOPE_SIZE) : attack.value())
                + ",");
    assertFormatFailure(
        verifier().verify(hostile.getBytes(StandardCharsets.UTF_8)),
        string ? "exceeds the limit of " + RegistryJson.MAX_ENVELOPE_SIZE : attack.named());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void protectedHeader_hostileValue_failsTheFormatCheck(Attack attack) {
    String envelope = RegistrySigner.sign(registry(), ALICE);
    String header = "{\"alg\":\"ES384\",\"kid\":\"alice\",\"x\":" + attack.value() + "}";
    String hostile =
        envelope.replaceFirst(
            "\"protected\"\\s*:\\s*\"[^\"]*\"",
            "\"protected\":\"" + Base64URL.encode(header) + "\"");
    assertFormatFailure(
        verifier().verify(hostile.getBytes(StandardCharsets.UTF_8)),
        attack.name().equals("huge string") ? "exceeds the limit" : attack.named());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void keySet_hostileValue_isRejectedAtParsing(Attack attack) {
    String keys = new JWKSet(ALICE.toPublicJWK()).toString();
    String hostile = keys.replaceFirst("\\{", "{\"x\":" + attack.value() + ",");
    assertThatThrownBy(() -> MaintainerKeys.parsePublicSet(hostile))
        .isInstanceOf(RegistryFormatException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining(attack.named());
  }

  private static void assertFormatFailure(RegistryVerification v, String named) {
    RegistryCheck format = v.checks().get(0);
    assertThat(format.id()).isEqualTo(RegistryCheck.FORMAT);
    assertThat(format.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(format.detail()).contains(named);
    assertThat(v.verifiedRegistry()).isEmpty();
  }

  private static Registry registry() {
    return Fixtures.registry(5, Fixtures.image("rust-1.83-cargo", 0x10));
  }

  private static RegistryVerifier verifier() {
    return RegistryVerifier.builder()
        .keys(new JWKSet(ALICE.toPublicJWK()))
        .clock(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC))
        .build();
  }
}
