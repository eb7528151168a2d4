package dev.teec.formats.bundle;

import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.DsseEnvelope;
import dev.teec.formats.report.DsseException;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.ReportFormatException;
import dev.teec.formats.report.Subject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    Optional<String> log = buildLogProblem(report, buildLogSha256);
    if (log.isPresent()) {
      throw new BundleFormatException(log.get());
    }
    List<String> names = subjectProblems(report, artifactSha256.keySet(), Set.of());
    if (!names.isEmpty()) {
      throw new BundleFormatException(String.join("; ", names));
    }
    Map<String, String> subjects = new TreeMap<>();
    for (Subject s : report.subjects()) {
      subjects.put(s.name(), s.sha256());
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

  /**
   * Whether the build log is the one the report records.
   *
   * @return why not, or empty when its SHA-256 is the recorded one
   */
  public static Optional<String> buildLogProblem(ProvenanceReport report, String buildLogSha256) {
    if (report.buildLogSha256().equals(buildLogSha256)) {
      return Optional.empty();
    }
    return Optional.of(
        BundleLayout.BUILD_LOG
            + " has SHA-256 "
            + buildLogSha256
            + ", the report records "
            + report.buildLogSha256());
  }

  /**
   * Whether the report's subjects are exactly the artifacts present: every subject is a bundle
   * artifact or a file given besides the bundle, and every bundle artifact and given file is a
   * subject.
   *
   * @param inBundle the names of the bundle's {@code artifacts/} entries
   * @param given the names of files given besides the bundle (a verifier's user files), or none
   * @return one sentence per kind of difference, empty when the names agree
   */
  public static List<String> subjectProblems(
      ProvenanceReport report, Set<String> inBundle, Set<String> given) {
    TreeSet<String> subjects = new TreeSet<>();
    report.subjects().forEach(s -> subjects.add(s.name()));
    List<String> problems = new ArrayList<>();
    TreeSet<String> missing = new TreeSet<>(subjects);
    missing.removeAll(inBundle);
    missing.removeAll(given);
    if (!missing.isEmpty()) {
      problems.add("report subjects without an artifact: " + missing);
    }
    TreeSet<String> extra = new TreeSet<>(inBundle);
    extra.removeAll(subjects);
    if (!extra.isEmpty()) {
      problems.add("artifacts that are not report subjects: " + extra);
    }
    TreeSet<String> unknown = new TreeSet<>(given);
    unknown.removeAll(subjects);
    if (!unknown.isEmpty()) {
      problems.add("given files that are not report subjects: " + unknown);
    }
    return problems;
  }
}
