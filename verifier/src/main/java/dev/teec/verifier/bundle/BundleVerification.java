package dev.teec.verifier.bundle;

import dev.teec.formats.report.ProvenanceReport;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.VerificationResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying one bundle: every check that ran, in order, and what was learnt on the
 * way. {@link BundleVerifier} creates these; one constructed by hand (tests, renderers) proves
 * nothing.
 *
 * <p>{@link #verified()} is the verdict: true exactly when no check failed. The report, the
 * artifacts and the builder identity are present whenever they could be read, also for a rejected
 * bundle, so that a reader can see what was claimed; they are evidence only when the bundle is
 * verified.
 *
 * @param input the bundle path as given
 * @param checks every check, in the order of SPEC.md C2, each id at most once
 * @param simulated true when the attestation chains to the local simulated NSM's root
 * @param report the parsed report, when {@code teec/report.json} is a valid report
 * @param artifacts every artifact file compared: the bundle's entries, then the user's files
 * @param attestation the verifier-core result for {@code teec/attestation.cbor}, when the tar could
 *     be read
 * @param attestationDocument the raw bytes of {@code teec/attestation.cbor}, when the tar could be
 *     read
 * @param builder the attested builder identity, when the attestation could be decoded
 */
public record BundleVerification(
    String input,
    List<BundleCheck> checks,
    boolean simulated,
    Optional<ProvenanceReport> report,
    List<ArtifactResult> artifacts,
    Optional<VerificationResult> attestation,
    Optional<Bytes> attestationDocument,
    Optional<BuilderIdentity> builder) {

  /** Copies the lists. */
  public BundleVerification {
    Objects.requireNonNull(input, "input");
    checks = List.copyOf(checks);
    Objects.requireNonNull(report, "report");
    artifacts = List.copyOf(artifacts);
    Objects.requireNonNull(attestation, "attestation");
    Objects.requireNonNull(attestationDocument, "attestationDocument");
    Objects.requireNonNull(builder, "builder");
  }

  /** True exactly when no check failed. */
  public boolean verified() {
    return checks.stream().noneMatch(BundleCheck::failed);
  }

  /** The ids of the failed checks, in order. */
  public List<String> failures() {
    return ids(CheckStatus.FAIL);
  }

  /** The ids of the checks that passed with a warning, in order. */
  public List<String> warnings() {
    return ids(CheckStatus.WARN);
  }

  /** The check with this id, if it ran. */
  public Optional<BundleCheck> check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /** The report's summary, when the report is valid. */
  public Optional<ReportSummary> summary() {
    return report.map(ReportSummary::of);
  }

  /**
   * The SHA-256 of every artifact in the bundle itself, by name; empty when the tar could not be
   * read.
   */
  public java.util.SortedMap<String, String> bundleArtifactDigests() {
    java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
    artifacts.stream()
        .filter(a -> a.location().equals(ArtifactResult.IN_BUNDLE))
        .forEach(a -> out.put(a.name(), a.actualSha256()));
    return out;
  }

  private List<String> ids(CheckStatus status) {
    return checks.stream().filter(c -> c.status() == status).map(BundleCheck::id).toList();
  }
}
