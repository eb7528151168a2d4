package dev.teec.formats.bundle;

import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.Subject;
import java.util.List;

/**
 * A bundle that passed {@link BundleReader}'s structural checks. The three small {@code teec/}
 * parts are in memory (arrays copied in and out); the build log and the outputs were extracted.
 *
 * @param reportJson {@code teec/report.json}
 * @param reportDsseJson {@code teec/report.dsse.json}
 * @param attestationCbor {@code teec/attestation.cbor}
 * @param buildLog {@code teec/build.log} as extracted
 * @param artifacts the outputs in entry order, named by their declared paths
 */
public record ReadBundle(
    byte[] reportJson,
    byte[] reportDsseJson,
    byte[] attestationCbor,
    ExtractedFile buildLog,
    List<ExtractedFile> artifacts) {

  /** Copies the arrays and the list. */
  public ReadBundle {
    reportJson = reportJson.clone();
    reportDsseJson = reportDsseJson.clone();
    attestationCbor = attestationCbor.clone();
    artifacts = List.copyOf(artifacts);
  }

  /** A copy of the report bytes. */
  @Override
  public byte[] reportJson() {
    return reportJson.clone();
  }

  /** A copy of the envelope bytes. */
  @Override
  public byte[] reportDsseJson() {
    return reportDsseJson.clone();
  }

  /** A copy of the attestation bytes. */
  @Override
  public byte[] attestationCbor() {
    return attestationCbor.clone();
  }

  /**
   * Runs {@link BundleConsistency} on the parts: valid report, envelope carrying exactly it, build
   * log and outputs with the digests and modes it records.
   *
   * @return the parsed report
   * @throws BundleFormatException naming the first inconsistency
   */
  public ProvenanceReport checkConsistency() throws BundleFormatException {
    List<Subject> present =
        artifacts.stream().map(a -> new Subject(a.name(), a.sha256(), a.executable())).toList();
    return BundleConsistency.check(reportJson, reportDsseJson, buildLog.sha256(), present);
  }
}
