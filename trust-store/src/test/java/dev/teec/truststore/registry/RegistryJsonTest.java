package dev.teec.truststore.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The registry payload format, SPEC.md R1. */
class RegistryJsonTest {
  @Test
  void serialize_parse_roundTrips_andIsCanonical() throws Exception {
    ImageEntry revoked =
        Fixtures.image("maven-3.9-jdk17", 0x40)
            .withStatus(
                ImageStatus.revoked("CVE in base image", Instant.parse("2026-11-20T00:00:00Z")));
    Registry r =
        new Registry(
            7,
            Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2027-11-01T00:00:00Z"),
            List.of(Fixtures.image("rust-1.83-cargo", 0x10), revoked),
            List.of(
                new ExtraRoot(
                    "teec-simulated-root",
                    "local development only",
                    RegistryJson.certificateDer(pem().getBytes(StandardCharsets.US_ASCII)))));

    byte[] json = RegistryJson.serialize(r);

    assertThat(RegistryJson.parse(json)).isEqualTo(r);
    assertThat(RegistryJson.serialize(RegistryJson.parse(json))).isEqualTo(json);
    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(text)
        .startsWith(
            "{\n  \"type\" : \"teec-registry\",\n  \"schemaVersion\" : 1,\n  \"version\" : 7,")
        .endsWith("}\n")
        .contains(
            "\"status\" : \"revoked\"",
            "\"reason\" : \"CVE in base image\"",
            "\"onRequestOnly\" : true");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown top-level field|\"version\" : 1,|\"version\" : 1, \"extra\" : 2,|$.extra: unknown field",
        "duplicate key|\"version\" : 1,|\"version\" : 1, \"version\" : 2,|$: not valid JSON: Duplicate field 'version'",
        "wrong type|\"version\" : 1,|\"version\" : \"1\",|$.version: expected an integer",
        "version zero|\"version\" : 1,|\"version\" : 0,|$: version must be at least 1",
        "bad instant|\"issuedAt\" : \"2026-11-01T00:00:00Z\"|\"issuedAt\" : \"2026-11-01\"|$.issuedAt: expected an ISO-8601 UTC instant",
        "bad pcr hex|\"0\" : \"10|\"0\" : \"1X|$.images[0].pcrs.0: expected 96 lowercase hex digits",
        "unknown pcr|\"pcrs\" : {|\"pcrs\" : { \"4\" : \"00\",|$.images[0].pcrs.4: not a PCR an EIF measures",
        "bad status|\"status\" : \"active\"|\"status\" : \"retired\"|$.images[0].status: expected \"active\" or \"revoked\"",
        "bad commit|\"commit\" : \"0123|\"commit\" : \"X123|$.images[0].recipe: recipe commit must be 40 or 64",
        "unknown image field|\"language\" : \"rust\",|\"language\" : \"rust\", \"lang\" : \"c\",|$.images[0].lang: unknown field",
      })
  void parse_rejects_withJsonPath(String name, String from, String to, String message) {
    String json =
        new String(
            RegistryJson.serialize(Fixtures.registry(1, Fixtures.image("rust-1.83-cargo", 0x10))),
            StandardCharsets.UTF_8);
    assertThat(json).contains(from);
    byte[] broken =
        json.replaceFirst(
                java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RegistryJson.parse(broken))
        .isInstanceOf(RegistryFormatException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void parse_rejectsDuplicateImageIds() {
    String one =
        new String(
            RegistryJson.serialize(Fixtures.registry(1, Fixtures.image("rust-1.83-cargo", 0x10))),
            StandardCharsets.UTF_8);
    int start = one.indexOf("\"images\" : [") + "\"images\" : [".length();
    int end = one.lastIndexOf(']');
    String entry = one.substring(start, end).trim();
    String two = one.substring(0, start) + entry + "," + entry + one.substring(end);
    assertThatThrownBy(() -> RegistryJson.parse(two.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(RegistryFormatException.class)
        .hasMessage("$.images[1].id: duplicate image id 'rust-1.83-cargo' (also at $.images[0])")
        .extracting(e -> ((RegistryFormatException) e).path())
        .isEqualTo("$.images[1].id");
  }

  @Test
  void registry_refusesDuplicateIdsInTheModelToo() {
    assertThatThrownBy(() -> Fixtures.registry(1, Fixtures.image("a", 1), Fixtures.image("a", 9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate image id 'a'");
  }

  @Test
  void extraRoot_mustBeOnRequestOnly() throws Exception {
    Registry r =
        new Registry(
            1,
            Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2027-11-01T00:00:00Z"),
            List.of(),
            List.of(
                new ExtraRoot(
                    "sim",
                    "dev",
                    RegistryJson.certificateDer(pem().getBytes(StandardCharsets.US_ASCII)))));
    String json =
        new String(RegistryJson.serialize(r), StandardCharsets.UTF_8)
            .replace("\"onRequestOnly\" : true", "\"onRequestOnly\" : false");
    assertThatThrownBy(() -> RegistryJson.parse(json.getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("$.extraRoots[0].onRequestOnly: must be true");
  }

  static String pem() throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + java.util.Base64.getMimeEncoder()
            .encodeToString(dev.teec.truststore.eif.EifCerts.selfSigned().getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
