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
 * report bytes, the build log and the outputs have the digests (and the outputs the modes) the
 * report records, and there is exactly one output per subject. Signatures and the attestation are
 * the verifier's business.
 */
public final class BundleConsistency {
  private BundleConsistency() {}

  /**
   * Runs the checks.
   *
   * @param artifacts every output as it is (or will be) in the bundle: declared path, SHA-256 of
   *     its bytes and whether its entry has mode 0755
   * @return the parsed report
   * @throws BundleFormatException naming the first inconsistency
   */
  public static ProvenanceReport check(
      byte[] reportJson, byte[] reportDsseJson, String buildLogSha256, List<Subject> artifacts)
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
    Map<String, Subject> present = new TreeMap<>();
    for (Subject a : artifacts) {
      if (present.put(a.name(), a) != null) {
        throw new BundleFormatException("artifact " + a.name() + " is given twice");
      }
    }
    List<String> names = subjectProblems(report, present.keySet(), Set.of());
    if (!names.isEmpty()) {
      throw new BundleFormatException(String.join("; ", names));
    }
    for (Subject s : report.subjects()) {
      Subject actual = present.get(s.name());
      if (!s.sha256().equals(actual.sha256())) {
        throw new BundleFormatException(
            "artifact "
                + s.name()
                + " has SHA-256 "
                + actual.sha256()
                + ", the report records "
                + s.sha256());
      }
      Optional<String> mode = modeProblem(s, actual.executable());
      if (mode.isPresent()) {
        throw new BundleFormatException("artifact " + s.name() + " has " + mode.get());
      }
    }
    return report;
  }

  /**
   * Whether an output's bundle entry has the mode its subject records: 0755 exactly when the
   * subject is executable, else 0644.
   *
   * @param executable whether the entry's mode is 0755
   * @return why not (e.g. {@code mode 0644 in the tar, the report records 0755}), or empty
   */
  public static Optional<String> modeProblem(Subject subject, boolean executable) {
    if (subject.executable() == executable) {
      return Optional.empty();
    }
    return Optional.of(
        "mode "
            + octal(BundleLayout.artifactMode(executable))
            + " in the tar, the report records "
            + octal(BundleLayout.artifactMode(subject.executable())));
  }

  private static String octal(int mode) {
    return String.format("%04o", mode);
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
