package dev.teec.formats.bundle;

import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.DsseEnvelope;
import dev.teec.formats.report.DsseException;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.ReportFormatException;
import dev.teec.formats.report.Subject;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checks that tie a bundle's parts together without any key or attestation: the report is valid
 * (SPEC W3), the envelope is a well-formed in-toto DSSE envelope whose payload is exactly the
 * report bytes, the build log and the outputs have the digests the report records, and there is
 * exactly one output per subject. Signatures and the attestation are the verifier's business.
 */
public final class BundleConsistency {
  private BundleConsistency() {}

  /**
   * Runs the checks.
   *
   * @param artifactSha256 declared path to SHA-256 (lowercase hex) of every output
   * @return the parsed report
   * @throws BundleFormatException naming the first inconsistency
   */
  public static ProvenanceReport check(
      byte[] reportJson,
      byte[] reportDsseJson,
      String buildLogSha256,
      Map<String, String> artifactSha256)
      throws BundleFormatException {
    ProvenanceReport report;
    try {
      report = ProvenanceReport.parse(reportJson);
    } catch (ReportFormatException e) {
      throw new BundleFormatException(
          BundleLayout.REPORT + " is not a valid report: " + e.getMessage(), e);
    }
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.parse(reportDsseJson);
    } catch (DsseException e) {
      throw new BundleFormatException(BundleLayout.REPORT_DSSE + ": " + e.getMessage(), e);
    }
    if (!envelope.payloadType().equals(Dsse.IN_TOTO_PAYLOAD_TYPE)) {
      throw new BundleFormatException(
          BundleLayout.REPORT_DSSE
              + " has payloadType "
              + envelope.payloadType()
              + ", expected "
              + Dsse.IN_TOTO_PAYLOAD_TYPE);
    }
    if (!Arrays.equals(envelope.payload(), reportJson)) {
      throw new BundleFormatException(
          BundleLayout.REPORT_DSSE + " payload differs from " + BundleLayout.REPORT);
    }
    if (!report.buildLogSha256().equals(buildLogSha256)) {
      throw new BundleFormatException(
          BundleLayout.BUILD_LOG
              + " has SHA-256 "
              + buildLogSha256
              + ", the report records "
              + report.buildLogSha256());
    }
    Map<String, String> subjects = new TreeMap<>();
    for (Subject s : report.subjects()) {
      subjects.put(s.name(), s.sha256());
    }
    TreeSet<String> missing = new TreeSet<>(subjects.keySet());
    missing.removeAll(artifactSha256.keySet());
    if (!missing.isEmpty()) {
      throw new BundleFormatException("report subjects without an artifact: " + missing);
    }
    TreeSet<String> extra = new TreeSet<>(artifactSha256.keySet());
    extra.removeAll(subjects.keySet());
    if (!extra.isEmpty()) {
      throw new BundleFormatException("artifacts that are not report subjects: " + extra);
    }
    for (Map.Entry<String, String> s : subjects.entrySet()) {
      String actual = artifactSha256.get(s.getKey());
      if (!s.getValue().equals(actual)) {
        throw new BundleFormatException(
            "artifact "
                + s.getKey()
                + " has SHA-256 "
                + actual
                + ", the report records "
                + s.getValue());
      }
    }
    return report;
  }
}
