package dev.teec.formats.bundle;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a bundle holds. The byte arrays are copied in and out.
 *
 * @param reportJson the canonical report ({@code ProvenanceReport.canonicalBytes()})
 * @param reportDsseJson the DSSE envelope of the report ({@code DsseEnvelope.toJson()})
 * @param attestationCbor the NSM attestation document
 * @param buildLog file holding the build log whose SHA-256 the report records
 * @param artifacts the outputs, one per report subject
 */
public record BundleContents(
    byte[] reportJson,
    byte[] reportDsseJson,
    byte[] attestationCbor,
    Path buildLog,
    List<BundleArtifact> artifacts) {

  /** Copies the arrays and the list. */
  public BundleContents {
    reportJson = Objects.requireNonNull(reportJson, "reportJson").clone();
    reportDsseJson = Objects.requireNonNull(reportDsseJson, "reportDsseJson").clone();
    attestationCbor = Objects.requireNonNull(attestationCbor, "attestationCbor").clone();
    Objects.requireNonNull(buildLog, "buildLog");
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
}
