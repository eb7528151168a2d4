package dev.teec.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.teec.verifier.bundle.ArtifactResult;
import dev.teec.verifier.bundle.BundleCheck;
import dev.teec.verifier.bundle.BundleVerification;
import dev.teec.verifier.bundle.ReportSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON object printed for one bundle with {@code --json}; {@link VerifyBundleCommand} documents
 * the schema.
 */
record BundleJson(
    String input,
    boolean verified,
    boolean simulated,
    boolean emulated,
    List<String> failures,
    List<String> warnings,
    List<CheckJson> checks,
    @JsonInclude(JsonInclude.Include.ALWAYS) ReportSummary report,
    List<ArtifactJson> artifacts,
    @JsonInclude(JsonInclude.Include.ALWAYS) JsonReport attestation,
    @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, String> subjects) {

  /** One bundle check. */
  record CheckJson(String id, String status, String detail) {}

  /** One artifact file compared with the report. */
  record ArtifactJson(
      String name,
      String sha256,
      @JsonInclude(JsonInclude.Include.ALWAYS) String expected,
      String location,
      String status) {}

  static BundleJson of(BundleVerification v) {
    JsonReport attestation =
        v.attestation()
            .map(
                a ->
                    JsonReport.of(
                        new DocumentInput(
                            v.input() + "!teec/attestation.cbor",
                            DocumentInput.Encoding.RAW,
                            v.attestationDocument().orElseThrow()),
                        a))
            .orElse(null);
    ReportSummary summary = v.summaryUnverified().orElse(null);
    Map<String, String> subjects = summary == null ? null : new LinkedHashMap<>(summary.subjects());
    return new BundleJson(
        v.input(),
        v.verified(),
        v.simulated(),
        v.emulated(),
        v.failures(),
        v.warnings(),
        v.checks().stream().map(BundleJson::check).toList(),
        summary,
        v.artifacts().stream().map(BundleJson::artifact).toList(),
        attestation,
        subjects);
  }

  private static CheckJson check(BundleCheck c) {
    return new CheckJson(c.id(), c.status().name(), c.detail());
  }

  private static ArtifactJson artifact(ArtifactResult a) {
    return new ArtifactJson(
        a.name(),
        a.actualSha256(),
        a.sha256(),
        a.location(),
        a.status().name().toLowerCase(Locale.ROOT));
  }
}
