package dev.teec.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real AWS document from ../shared/vectors/real against its MANIFEST.json entry. */
class RealDocumentsTest {
  /** A "now" long after every real leaf certificate expired. */
  private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

  /** Why each known negative document is rejected: the first check that fails. */
  private static final Map<String, String> FIRST_FAILURE_OF_NEGATIVE =
      Map.ofEntries(
          Map.entry("negative/veracruz-go-badsig.cbor", "cose.signature"),
          Map.entry("negative/blocky-selfsigned.cbor", "cose.unprotected"),
          Map.entry("negative/marlin-custom.cbor", "chain.root_pinned"),
          Map.entry("negative/derived-bytes-010203.cbor", "cbor.well_formed"),
          Map.entry("negative/derived-ascii-invalid.cbor", "cbor.well_formed"),
          Map.entry("negative/derived-empty.cbor", "input.size"),
          Map.entry("negative/derived-top-level-text.cbor", "cose.structure"),
          Map.entry("negative/derived-cose-3-elements.cbor", "cose.structure"),
          Map.entry("negative/derived-signature-text.cbor", "cose.signature_length"),
          Map.entry("negative/derived-signature-empty.cbor", "cose.signature_length"),
          Map.entry("negative/derived-truncated.cbor", "cbor.well_formed"),
          Map.entry("negative/derived-alg-es256.cbor", "cose.algorithm"),
          Map.entry("negative/derived-payload-bitflip.cbor", "cose.signature"));

  private final AttestationVerifier verifier =
      AttestationVerifier.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  static Stream<Arguments> realDocuments() {
    return SharedVectors.manifestArguments("real");
  }

  static Stream<Arguments> negativeDocuments() {
    return SharedVectors.manifestArguments("negative");
  }

  @ParameterizedTest
  @MethodSource("realDocuments")
  void realDocument_atDocumentTime_verifiesAndReportsManifestFields(JsonNode entry) {
    SharedVectors.assumePresent();
    JsonNode decoded = entry.get("decoded");
    boolean debug = decoded.get("pcr0_all_zero_debug").asBoolean();
    VerificationResult result =
        verifier.verify(
            SharedVectors.read(entry.get("file").asText()),
            VerificationOptions.builder()
                .time(VerificationTime.document())
                .policy(debug ? Policy.builder().allowDebug().build() : Policy.DEFAULT)
                .build());

    assertThat(result.failedChecks()).as("failed checks").isEmpty();
    assertThat(result.verified()).isTrue();
    AttestationDocument doc = result.decodedUnverified().orElseThrow();
    assertThat(doc.moduleId()).isEqualTo(decoded.get("module_id").asText());
    assertThat(doc.timestamp().toEpochMilli()).isEqualTo(decoded.get("timestamp_ms").asLong());
    assertThat(result.verifiedAt()).contains(doc.timestamp());
    assertThat(doc.debugMode()).isEqualTo(debug);
    assertThat(doc.pcrs().keySet())
        .containsExactlyElementsOf(
            iterable(decoded.get("pcr_indices")).stream().map(JsonNode::asInt).toList());
    Map<Integer, String> nonZero = new TreeMap<>();
    doc.pcrs()
        .forEach(
            (i, v) -> {
              if (!v.isAllZero() || decoded.get("pcrs_hex").has(String.valueOf(i))) {
                nonZero.put(i, v.hex());
              }
            });
    decoded
        .get("pcrs_hex")
        .fields()
        .forEachRemaining(
            f ->
                assertThat(nonZero.get(Integer.parseInt(f.getKey())))
                    .as("PCR" + f.getKey())
                    .isEqualTo(f.getValue().asText()));
    assertOptional(doc.userData(), decoded, "user_data");
    assertOptional(doc.nonce(), decoded, "nonce");
    assertOptional(doc.publicKey(), decoded, "public_key");
    assertThat(result.certificates()).hasSize(decoded.get("cabundle_count").asInt() + 1);
    assertThat(result.certificates().get(result.certificates().size() - 1).sha256())
        .isEqualTo(TrustAnchors.AWS_NITRO_ROOT_G1_SHA256);
  }

  @ParameterizedTest
  @MethodSource("realDocuments")
  void realDocument_debugWithoutAllowDebug_failsOnDebugCheckAlone(JsonNode entry) {
    SharedVectors.assumePresent();
    boolean debug = entry.get("decoded").get("pcr0_all_zero_debug").asBoolean();
    VerificationResult result =
        verifier.verify(
            SharedVectors.read(entry.get("file").asText()),
            VerificationOptions.builder().time(VerificationTime.document()).build());
    if (debug) {
      assertThat(result.failures()).containsExactly(CheckId.POLICY_DEBUG_MODE);
    } else {
      assertThat(result.failures()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("realDocuments")
  void realDocument_atNow_failsCertificateValidity(JsonNode entry) {
    SharedVectors.assumePresent();
    VerificationResult result =
        verifier.verify(
            SharedVectors.read(entry.get("file").asText()),
            VerificationOptions.builder().policy(Policy.builder().allowDebug().build()).build());
    assertThat(result.verified()).isFalse();
    assertThat(result.failures()).containsExactly(CheckId.CHAIN_VALIDITY);
    assertThat(result.verifiedAt()).contains(NOW);
  }

  @ParameterizedTest
  @MethodSource("negativeDocuments")
  void negativeDocument_isRejected(JsonNode entry) {
    SharedVectors.assumePresent();
    Instant at =
        entry.has("verify_at_epoch_seconds")
            ? Instant.ofEpochSecond(entry.get("verify_at_epoch_seconds").asLong())
            : NOW;
    VerificationResult result =
        verifier.verify(
            SharedVectors.read(entry.get("file").asText()),
            VerificationOptions.builder()
                .time(VerificationTime.at(at))
                .policy(Policy.builder().allowDebug().build())
                .build());
    assertThat(result.verified()).isFalse();
    assertThat(result.failures()).isNotEmpty();
    String expected = FIRST_FAILURE_OF_NEGATIVE.get(entry.get("file").asText());
    if (expected != null) {
      assertThat(result.failures().get(0).id()).isEqualTo(expected);
    }
  }

  private static void assertOptional(
      java.util.Optional<Bytes> actual, JsonNode decoded, String field) {
    JsonNode expected = decoded.get(field);
    if (expected.isTextual()
        && (expected.asText().equals("null") || expected.asText().equals("absent"))) {
      assertThat(actual).as(field).isEmpty();
      return;
    }
    assertThat(actual).as(field).isPresent();
    assertThat(actual.get().length()).as(field + " length").isEqualTo(expected.asInt());
    JsonNode hex = decoded.get(field + "_hex");
    if (hex != null) {
      assertThat(actual.get().hex()).as(field).isEqualTo(hex.asText());
    }
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
