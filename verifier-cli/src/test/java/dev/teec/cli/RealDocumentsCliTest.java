package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.verifier.SharedVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every document of ../shared/vectors through {@code teec-verify doc}, checked against the fields
 * MANIFEST.json records for it (decoded independently of this project).
 */
class RealDocumentsCliTest {
  static Stream<Arguments> realDocuments() {
    return SharedVectors.manifestArguments("real");
  }

  static Stream<Arguments> negativeDocuments() {
    return SharedVectors.manifestArguments("negative");
  }

  @ParameterizedTest
  @MethodSource("realDocuments")
  void realDocument_atDocumentTime_verifiesAndReportsTheManifestFields(JsonNode entry) {
    SharedVectors.assumePresent();
    String file = SharedVectors.path(entry.get("file").asText());
    JsonNode decoded = entry.get("decoded");

    CliRun run = CliRun.teecVerify("doc", "--json", "--at", "document", "--allow-debug", file);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode report = run.singleJson();
    assertThat(report.get("input").asText()).isEqualTo(file);
    assertThat(report.get("encoding").asText()).isEqualTo("raw");
    assertThat(report.get("verified").asBoolean()).isTrue();
    assertThat(report.get("failures")).isEmpty();
    assertThat(report.get("timeMode").asText()).isEqualTo("document");

    JsonNode doc = report.get("document");
    assertThat(doc.get("kind").asText()).isEqualTo("nitro-enclave");
    assertThat(doc.get("moduleId").asText()).isEqualTo(decoded.get("module_id").asText());
    long millis = decoded.get("timestamp_ms").asLong();
    assertThat(doc.get("timestamp").asText())
        .isEqualTo(java.time.Instant.ofEpochMilli(millis).toString());
    assertThat(report.get("verifiedAt").asText()).isEqualTo(doc.get("timestamp").asText());
    assertThat(doc.get("digest").asText()).isEqualTo(decoded.get("digest").asText());

    assertPcrs(doc.get("pcrs"), decoded);
    assertOptional(doc.get("userData"), decoded, "user_data");
    assertOptional(doc.get("nonce"), decoded, "nonce");
    assertOptional(doc.get("publicKey"), decoded, "public_key");
    assertThat(doc.get("unknownKeys")).isEmpty();

    JsonNode certs = report.get("certificates");
    assertThat(certs).hasSize(decoded.get("cabundle_count").asInt() + 1);
    assertThat(certs.get(0).get("role").asText()).isEqualTo("leaf");
    assertThat(certs.get(certs.size() - 1).get("sha256").asText())
        .isEqualTo(dev.teec.verifier.TrustAnchors.AWS_NITRO_ROOT_G1_SHA256);
    String debugCheck = check(report, "policy.debug_mode").get("status").asText();
    assertThat(debugCheck)
        .isEqualTo(decoded.get("pcr0_all_zero_debug").asBoolean() ? "WARN" : "PASS");
  }

  @ParameterizedTest
  @MethodSource("realDocuments")
  void realDocument_atNow_isRejectedForCertificateValidity(JsonNode entry) {
    SharedVectors.assumePresent();
    String file = SharedVectors.path(entry.get("file").asText());

    CliRun run = CliRun.teecVerify("doc", "--json", "--at", "now", "--allow-debug", file);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    JsonNode report = run.singleJson();
    assertThat(report.get("verified").asBoolean()).isFalse();
    assertThat(texts(report.get("failures"))).contains("chain.validity");
    assertThat(report.get("verifiedAt").asText()).isEqualTo(CliRun.NOW.toString());
    assertThat(report.get("timeMode").asText()).isEqualTo("now");
  }

  @ParameterizedTest
  @MethodSource("negativeDocuments")
  void negativeDocument_isRejected(JsonNode entry) {
    SharedVectors.assumePresent();
    String file = SharedVectors.path(entry.get("file").asText());

    CliRun run = CliRun.teecVerify("doc", "--json", "--allow-debug", file);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    JsonNode report = run.singleJson();
    assertThat(report.get("verified").asBoolean()).isFalse();
    assertThat(report.get("failures")).isNotEmpty();
  }

  /** Every PCR index the manifest lists, the listed values exactly, and the rest all zero. */
  private static void assertPcrs(JsonNode pcrs, JsonNode decoded) {
    List<String> indexes = new ArrayList<>();
    decoded.get("pcr_indices").forEach(i -> indexes.add(i.asText()));
    assertThat(fieldNames(pcrs)).as("PCR indexes, in order").containsExactlyElementsOf(indexes);
    int length = decoded.get("pcr_lengths").get(0).asInt();
    JsonNode listed = decoded.get("pcrs_hex");
    for (String index : indexes) {
      String expected = listed.has(index) ? listed.get(index).asText() : "00".repeat(length);
      if (!listed.has(index)) {
        assertThat(texts(decoded.get("nonzero_pcr_indices"))).doesNotContain(index);
      }
      assertThat(pcrs.get(index).asText()).as("PCR" + index).isEqualTo(expected);
    }
  }

  /**
   * The manifest records an optional field as its length, or "null"/"absent" when missing, and its
   * hex in {@code FIELD_hex} where it was small enough to list.
   */
  private static void assertOptional(JsonNode actual, JsonNode decoded, String field) {
    JsonNode expected = decoded.get(field);
    if (expected.isTextual()) {
      assertThat(expected.asText()).isIn("null", "absent");
      assertThat(actual.isNull()).as(field + " should be null").isTrue();
      return;
    }
    assertThat(actual.isTextual()).as(field + " present").isTrue();
    assertThat(actual.asText().length() / 2).as(field + " length").isEqualTo(expected.asInt());
    JsonNode hex = decoded.get(field + "_hex");
    if (hex != null && hex.isTextual()) {
      assertThat(actual.asText()).as(field).isEqualTo(hex.asText());
    }
  }

  static JsonNode check(JsonNode report, String id) {
    for (JsonNode c : report.get("checks")) {
      if (c.get("id").asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no check " + id + " in " + report);
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
