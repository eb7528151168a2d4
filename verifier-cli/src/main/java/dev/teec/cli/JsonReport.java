package dev.teec.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.teec.cli.registry.RegistryReport;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.CertificateInfo;
import dev.teec.verifier.Check;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.DocumentKind;
import dev.teec.verifier.VerificationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON object printed for one input with {@code --json}; {@link VerifyDocCommand} documents the
 * schema. Every value is a string, boolean, list or object so that consumers in any language need
 * no date or byte types.
 */
record JsonReport(
    String input,
    String encoding,
    boolean verified,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean emulated,
    List<String> failures,
    List<CheckJson> checks,
    String verifiedAt,
    String timeMode,
    DocumentJson document,
    List<CertificateJson> certificates,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode image) {

  /** One check; {@code expected} and {@code actual} are left out when the check has none. */
  record CheckJson(
      String id,
      String status,
      String detail,
      @JsonInclude(JsonInclude.Include.NON_NULL) String expected,
      @JsonInclude(JsonInclude.Include.NON_NULL) String actual,
      String spec) {}

  /** The decoded payload; byte strings as lowercase hex, absent optional fields as null. */
  record DocumentJson(
      String kind,
      String moduleId,
      String timestamp,
      String digest,
      Map<String, String> pcrs,
      String publicKey,
      String userData,
      String nonce,
      List<String> unknownKeys) {}

  /** One certificate of the chain, leaf first. */
  record CertificateJson(
      String role,
      String subject,
      String issuer,
      String notBefore,
      String notAfter,
      String sha256) {}

  static JsonReport of(DocumentInput input, VerificationResult result) {
    return of(input, result, null);
  }

  /**
   * The report, with the registry's checks appended and the {@code image} field (the matched entry,
   * or JSON null) when {@code registry} is not null.
   */
  static JsonReport of(DocumentInput input, VerificationResult result, RegistryReport registry) {
    List<String> failures = new ArrayList<>(result.failures().stream().map(CheckId::id).toList());
    List<CheckJson> checks =
        new ArrayList<>(result.checks().stream().map(JsonReport::check).toList());
    JsonNode image = null;
    if (registry != null) {
      failures.addAll(registry.failures());
      registry
          .checks()
          .forEach(
              c ->
                  checks.add(
                      new CheckJson(
                          c.id(), c.status().name(), c.detail(), null, null, c.specReference())));
      image = registry.image().<JsonNode>map(i -> i).orElse(NullNode.getInstance());
    }
    return new JsonReport(
        input.path(),
        input.encoding().label(),
        result.verified() && (registry == null || !registry.failed()),
        result.emulated(),
        failures,
        checks,
        result.verifiedAt().map(Instant::toString).orElse(null),
        result.timeMode().name().toLowerCase(Locale.ROOT),
        result.decodedUnverified().map(JsonReport::document).orElse(null),
        result.certificates().stream().map(JsonReport::certificate).toList(),
        image);
  }

  private static CheckJson check(Check c) {
    return new CheckJson(
        c.id().id(), c.status().name(), c.detail(), c.expected(), c.actual(), c.specReference());
  }

  private static DocumentJson document(AttestationDocument d) {
    // LinkedHashMap over the document's sorted map: JSON object order is then index order.
    Map<String, String> pcrs = new LinkedHashMap<>();
    d.pcrs().forEach((index, value) -> pcrs.put(String.valueOf(index), value.hex()));
    return new DocumentJson(
        kind(d.kind()),
        d.moduleId(),
        d.timestamp().toString(),
        d.digest(),
        pcrs,
        hex(d.publicKey()),
        hex(d.userData()),
        hex(d.nonce()),
        d.unknownKeys());
  }

  static String kind(DocumentKind kind) {
    return switch (kind) {
      case NITRO_ENCLAVE -> "nitro-enclave";
      case NITRO_TPM -> "nitro-tpm";
    };
  }

  private static String hex(Optional<Bytes> value) {
    return value.map(Bytes::hex).orElse(null);
  }

  private static CertificateJson certificate(CertificateInfo c) {
    return new CertificateJson(
        c.role(),
        c.subject(),
        c.issuer(),
        c.notBefore().toString(),
        c.notAfter().toString(),
        c.sha256());
  }
}
