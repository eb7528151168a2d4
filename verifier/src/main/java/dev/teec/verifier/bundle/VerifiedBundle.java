package dev.teec.verifier.bundle;

import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.Subject;
import dev.teec.verifier.VerifiedAttestation;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bundle that passed every check of a {@link BundleVerifier}: its report is the one an attested
 * enclave signed, and every artifact present has the digest the report records. Only {@link
 * BundleVerification#requireVerified()} hands one out, so holding one means those checks passed;
 * the vote counts nothing else.
 */
public final class VerifiedBundle {
  private final String input;
  private final ProvenanceReport report;
  private final VerifiedAttestation attestation;
  private final BuilderIdentity builder;
  private final boolean simulated;
  private final boolean emulated;
  private final String reportSha384;

  VerifiedBundle(
      String input,
      ProvenanceReport report,
      VerifiedAttestation attestation,
      BuilderIdentity builder,
      boolean simulated,
      boolean emulated,
      String reportSha384) {
    this.input = Objects.requireNonNull(input, "input");
    this.report = Objects.requireNonNull(report, "report");
    this.attestation = Objects.requireNonNull(attestation, "attestation");
    this.builder = Objects.requireNonNull(builder, "builder");
    this.simulated = simulated;
    this.emulated = emulated;
    this.reportSha384 = Objects.requireNonNull(reportSha384, "reportSha384");
  }

  /** The bundle path as given to {@link BundleVerifier#verify}. */
  public String input() {
    return input;
  }

  /** The verified report. */
  public ProvenanceReport report() {
    return report;
  }

  /** The facts of the verified report an auditor reads first. */
  public ReportSummary summary() {
    return ReportSummary.of(report);
  }

  /**
   * The artifacts' digests: each subject of the report, name to SHA-256 (lowercase hex), in name
   * order. Every one was compared with the bundle's artifact or a file given to the verifier, and
   * matched.
   */
  public SortedMap<String, String> artifactDigests() {
    SortedMap<String, String> out = new TreeMap<>();
    for (Subject s : report.subjects()) {
      out.put(s.name(), s.sha256());
    }
    return out;
  }

  /** The verified attestation document that binds the report. */
  public VerifiedAttestation attestation() {
    return attestation;
  }

  /** Who built it: the attesting module, the image's PCR0 and the registry's id for the image. */
  public BuilderIdentity builder() {
    return builder;
  }

  /** True when it was attested under the local simulated NSM's root, not by AWS Nitro hardware. */
  public boolean simulated() {
    return simulated;
  }

  /**
   * True when it was attested by QEMU's emulated NSM (unsigned; SPEC E6), not by Nitro hardware.
   */
  public boolean emulated() {
    return emulated;
  }

  /** SHA-384 of {@code teec/report.json}, lowercase hex: the attestation's user_data. */
  public String reportSha384() {
    return reportSha384;
  }
}
