package dev.teec.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyTest {
  private static final String PCR48 = "11".repeat(48);

  private static Policy parse(String json) throws IOException {
    return Policy.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void fromJson_fullPolicy_readsEveryField() throws IOException {
    Policy p =
        parse(
            "{\"pcrs\":{\"0\":\""
                + PCR48
                + "\"},\"allowedPcrSets\":[{\"1\":\""
                + PCR48
                + "\"}],"
                + "\"allowDebug\":true,\"userData\":\"0a0b\",\"nonce\":\"\",\"publicKey\":\"ff\"}");
    assertThat(p.expectedPcrs()).containsExactly(Map.entry(0, Bytes.fromHex(PCR48)));
    assertThat(p.allowedPcrSets()).hasValueSatisfying(sets -> assertThat(sets).hasSize(1));
    assertThat(p.allowDebug()).isTrue();
    assertThat(p.expectedUserData()).contains(Bytes.fromHex("0a0b"));
    assertThat(p.expectedNonce()).contains(Bytes.empty());
    assertThat(p.expectedPublicKey()).contains(Bytes.fromHex("ff"));
  }

  @Test
  void fromJson_emptyObject_isTheStrictDefault() throws IOException {
    Policy p = parse("{}");
    assertThat(p.expectedPcrs()).isEmpty();
    assertThat(p.allowedPcrSets()).isEmpty();
    assertThat(p.allowDebug()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"allowedPcrSets\":[]}|$.allowedPcrSets",
        "{\"allowedPcrSets\":[{}]}|$.allowedPcrSets[0]",
        "{\"pcrs\":{\"32\":\"" + "11" + "\"}}|$.pcrs.32",
        "{\"pcrs\":{\"x\":\"11\"}}|$.pcrs.x",
        "{\"pcrs\":{\"0\":\"1122\"}}|$.pcrs.0",
        "{\"pcrs\":{\"0\":\"zz\"}}|$.pcrs.0",
        "{\"pcrs\":[]}|$.pcrs",
        "{\"allowDebug\":\"yes\"}|$.allowDebug",
        "{\"userData\":5}|$.userData",
        "{\"nonce\":\"abc\"}|$.nonce",
        "{\"pcr\":{}}|$.pcr",
        "[]|$",
        "{\"allowDebug\":true,\"allowDebug\":false}|$",
        "{\"pcrs\":{}} trailing|$",
        "not json|$",
      })
  void fromJson_invalid_namesThePath(String json, String path) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            PolicyFormatException.class, e -> assertThat(e.path()).isEqualTo(path));
  }

  @Test
  void builder_emptyAllowedSets_isRefusedNotAllowAll() {
    assertThatThrownBy(() -> Policy.builder().allowedPcrSets(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never 'allow all'");
  }

  @Test
  void builder_samePcrPinnedTwiceDifferently_isRefused() {
    Policy.Builder b = Policy.builder().expectPcr(0, Bytes.fromHex(PCR48));
    assertThatThrownBy(() -> b.expectPcr(0, Bytes.fromHex("22".repeat(48))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PCR0");
  }

  @Test
  void builder_pcrOfWrongLength_isRefused() {
    assertThatThrownBy(() -> Policy.builder().expectPcr(3, Bytes.fromHex("11".repeat(47))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("47 bytes");
  }

  @Test
  void toBuilder_keepsSettings() {
    Policy p = Policy.builder().allowDebug().expectNonce(Bytes.fromHex("01")).build();
    Policy copy = p.toBuilder().expectUserData(Bytes.fromHex("02")).build();
    assertThat(copy.allowDebug()).isTrue();
    assertThat(copy.expectedNonce()).contains(Bytes.fromHex("01"));
    assertThat(copy.expectedUserData()).contains(Bytes.fromHex("02"));
    assertThat(p.expectedUserData()).isEmpty();
  }
}
