package dev.teec.builder.client;

import dev.teec.formats.report.ProvenanceReport;
import java.util.Objects;

/**
 * A bundle that passed every {@link BundleCheck}.
 *
 * @param report the parsed report
 * @param reportSha384 SHA-384 of {@code teec/report.json}, hex: the attestation's user_data
 */
public record CheckedBundle(ProvenanceReport report, String reportSha384) {

  /** Checks the fields are present. */
  public CheckedBundle {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(reportSha384, "reportSha384");
  }
}
