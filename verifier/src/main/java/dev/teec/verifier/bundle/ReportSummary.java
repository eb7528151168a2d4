package dev.teec.verifier.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.formats.report.EnclaveImage;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.SourceInfo;
import dev.teec.formats.report.Subject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The facts of a verified report an auditor reads first (SPEC.md C2, JSON field {@code report}):
 * what was built, from what, by which builder and image, and when. Instants are ISO-8601 UTC
 * strings and absent values null, so the record serialises to JSON as it is.
 *
 * @param builderId the SLSA builder id: Nitro Enclave or local (simulated) worker
 * @param builderVersion component name to version
 * @param source the source the report records
 * @param image the enclave image the report records
 * @param language build.json's {@code language}, or null
 * @param command build.json's {@code input.cmd}, or null
 * @param invocationId the build's unique id
 * @param startedOn when the build started
 * @param finishedOn when it finished
 * @param exitCode the build command's exit status
 * @param dependencies how many network resources the build fetched through the recording proxy
 * @param networkIsolated whether the proxy was the build's only route to the network
 * @param subjects output name to SHA-256, in name order
 */
public record ReportSummary(
    String builderId,
    Map<String, String> builderVersion,
    Source source,
    Image image,
    String language,
    String command,
    String invocationId,
    String startedOn,
    String finishedOn,
    int exitCode,
    int dependencies,
    boolean networkIsolated,
    Map<String, String> subjects) {

  /**
   * The source: {@code uri}, {@code commit}, {@code tree} and {@code dirty} are the client's claims
   * (null when not made); {@code archiveSha256} is what the worker received.
   */
  public record Source(
      String uri,
      String commit,
      String tree,
      String path,
      String archiveSha256,
      Boolean dirty,
      Boolean commitVerified) {}

  /**
   * The image: PCR index (decimal string) to hex value, and the registry id the worker was given.
   */
  public record Image(Map<String, String> pcrs, String registryId) {}

  /** Summarises {@code report}. */
  public static ReportSummary of(ProvenanceReport report) {
    SourceInfo s = report.source();
    EnclaveImage image = report.enclaveImage();
    Map<String, String> pcrs = new LinkedHashMap<>();
    new TreeMap<>(image.pcrs()).forEach((i, v) -> pcrs.put(String.valueOf(i), v));
    Map<String, String> subjects = new LinkedHashMap<>();
    for (Subject subject : report.subjects()) {
      subjects.put(subject.name(), subject.sha256());
    }
    JsonNode buildJson = report.buildJson();
    return new ReportSummary(
        report.builderId(),
        new TreeMap<>(report.builderVersion()),
        new Source(
            s.uri(),
            s.commit(),
            s.tree(),
            s.path(),
            s.archiveSha256(),
            s.dirty(),
            s.commitVerified()),
        new Image(pcrs, image.registryId()),
        text(buildJson.get("language")),
        text(buildJson.path("input").get("cmd")),
        report.invocationId(),
        report.startedOn().toString(),
        report.finishedOn().toString(),
        report.exitCode(),
        report.networkResources().size(),
        report.internalParameters().isolation().enforced(),
        subjects);
  }

  /** True when the report says the worker ran with the simulated NSM, outside any enclave. */
  public boolean localBuilder() {
    return ProvenanceReport.BUILDER_LOCAL.equals(builderId);
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
