package dev.teec.formats.bundle;

import dev.teec.formats.report.DsseEnvelope;
import dev.teec.formats.report.ProvenanceReport;

/**
 * Size limits the reader enforces from each entry's declared size, before reading it, and the
 * writer enforces so it never writes what a default reader rejects.
 *
 * @param maxReportBytes {@code teec/report.json}
 * @param maxDsseBytes {@code teec/report.dsse.json}
 * @param maxAttestationBytes {@code teec/attestation.cbor}
 * @param maxBuildLogBytes {@code teec/build.log}
 * @param maxArtifactBytes any one {@code artifacts/} entry
 * @param maxTotalBytes all entries' contents together
 * @param maxEntries number of entries, the four {@code teec/} ones included
 */
public record BundleLimits(
    long maxReportBytes,
    long maxDsseBytes,
    long maxAttestationBytes,
    long maxBuildLogBytes,
    long maxArtifactBytes,
    long maxTotalBytes,
    int maxEntries) {

  /** Largest size a ustar header's 11-digit octal field holds; SPEC W6 has no larger entries. */
  public static final long USTAR_MAX_SIZE = 077777777777L;

  /** Validates: every limit positive, per-entry limits within ustar's. */
  public BundleLimits {
    within(maxReportBytes, USTAR_MAX_SIZE, "maxReportBytes");
    within(maxDsseBytes, USTAR_MAX_SIZE, "maxDsseBytes");
    within(maxAttestationBytes, USTAR_MAX_SIZE, "maxAttestationBytes");
    within(maxBuildLogBytes, USTAR_MAX_SIZE, "maxBuildLogBytes");
    within(maxArtifactBytes, USTAR_MAX_SIZE, "maxArtifactBytes");
    within(maxTotalBytes, Long.MAX_VALUE, "maxTotalBytes");
    if (maxEntries < 5) {
      throw new IllegalArgumentException(
          "maxEntries must allow the four teec entries and one artifact");
    }
  }

  private static void within(long value, long max, String name) {
    if (value <= 0 || value > max) {
      throw new IllegalArgumentException(name + " must be 1.." + max + ", got " + value);
    }
  }

  /**
   * The defaults of SPEC W6: report 8 MiB, envelope {@link DsseEnvelope#MAX_BYTES}, attestation 32
   * KiB (SPEC V1's document limit), build log 256 MiB, one artifact 8 GiB−1 (ustar's limit), 16 GiB
   * in all, 10,000 entries.
   */
  public static BundleLimits defaults() {
    return new BundleLimits(
        ProvenanceReport.MAX_BYTES,
        DsseEnvelope.MAX_BYTES,
        32 * 1024,
        256L * 1024 * 1024,
        USTAR_MAX_SIZE,
        16L * 1024 * 1024 * 1024,
        10_000);
  }

  /** The limit for one entry, by its name. */
  long limitFor(String name) {
    return switch (name) {
      case BundleLayout.REPORT -> maxReportBytes;
      case BundleLayout.REPORT_DSSE -> maxDsseBytes;
      case BundleLayout.ATTESTATION -> maxAttestationBytes;
      case BundleLayout.BUILD_LOG -> maxBuildLogBytes;
      default -> maxArtifactBytes;
    };
  }
}
