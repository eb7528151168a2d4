package dev.teec.formats.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The JSON layout of SPEC W3: the names {@link ReportWriter} and {@link ReportReader} share, the
 * bounded reader and build.json's normal form.
 */
final class ReportJson {
  static final String SOURCE_NAME = "source";
  static final String IMAGE_NAME = "enclave-image";
  static final String LOG_NAME = "build.log";
  static final String EXIT_CODE_NAME = "exitCode";
  static final String PCR0_DIGEST = "nitroPcr0";

  /** The longest string a report holds (a network resource's URI is the longest in practice). */
  static final int MAX_STRING = 1 << 20;

  /**
   * Strict, bounded reader (dev.teec.json): duplicate keys and trailing content are errors,
   * decimals stay BigDecimal (so a non-integer is seen as such, never rounded), and nesting,
   * numbers, exponents and strings are bounded before any value is looked at.
   */
  static final BoundedJson READER =
      BoundedJson.json(JsonLimits.of(ProvenanceReport.MAX_BYTES).withMaxStringLength(MAX_STRING));

  private ReportJson() {}

  /**
   * ResourceDescriptor content is bytes (base64 in JSON): here the decimal exit status in ASCII.
   */
  static String exitCodeContent(int exitCode) {
    return Base64.getEncoder()
        .encodeToString(Integer.toString(exitCode).getBytes(StandardCharsets.US_ASCII));
  }

  static JsonNode parseBuildJson(byte[] json) {
    JsonNode node;
    try {
      node = READER.read(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("build.json is not valid JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("build.json must be a JSON object");
    }
    return node;
  }

  /**
   * Re-reads a tree from its canonical bytes, so that equal JSON values are equal trees (same
   * number node types) whatever built them; also proves the tree has a canonical form.
   */
  static JsonNode normalize(JsonNode node) {
    try {
      return READER.read(Jcs.canonicalize(node));
    } catch (IOException e) {
      throw new IllegalStateException("canonical JSON did not parse back", e);
    }
  }
}
