package dev.teec.cli;

import dev.teec.cli.registry.RegistryReport;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.bundle.BundleVerification;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What to do after a verification that did not pass, for the {@code Next:} line every rejection
 * ends with ({@link CliSupport#next}): the first problem that has a remedy decides. One place, so
 * that every command gives the same advice for the same problem.
 */
public final class NextSteps {
  private static final Set<String> DAMAGED =
      Set.of("bundle.structure", "bundle.report", "bundle.dsse", "bundle.binding");

  private static final Set<CheckId> TIME =
      Set.of(CheckId.CHAIN_VALIDITY, CheckId.TIME_MAX_AGE, CheckId.TIME_FUTURE_SKEW);

  private static final Set<CheckId> SIGNATURES =
      Set.of(CheckId.COSE_SIGNATURE, CheckId.CHAIN_SIGNATURES);

  private NextSteps() {}

  /**
   * After {@code teec verify doc} rejected a document: the remedy for its first failure that has
   * one, else for what the registry said of it, else a pointer to the failed checks.
   *
   * @param registry what the registry said of it, or empty without {@code --registry}
   */
  public static String forDocument(VerificationResult result, Optional<RegistryReport> registry) {
    Optional<String> step = forChecks(result.failures());
    if (step.isPresent()) {
      return step.get();
    }
    if (registry.map(RegistryReport::failed).orElse(false)) {
      return registry.get().failures().contains("image.match")
          ? "its PCRs are not an active image of the registry: do not trust it, or check that"
              + " --registry is the registry you mean"
          : "the registry did not verify: check --registry, --registry-keys and"
              + " --registry-threshold";
    }
    return "the failed checks above say what is wrong; see 'teec verify doc --help'";
  }

  private static Optional<String> forChecks(List<CheckId> failed) {
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    String reference = failed.get(0).specReference();
    String section = reference.substring(reference.indexOf('#') + 1);
    if (section.equals("V1") || section.equals("V2") || section.equals("V3")) {
      return Optional.of(
          "it is not a well-formed Nitro attestation document: give the raw COSE bytes, or the"
              + " same as hex or base64");
    }
    if (failed.stream().anyMatch(SIGNATURES::contains)) {
      return Optional.of("do not trust it: its signatures do not verify");
    }
    if (failed.contains(CheckId.CHAIN_ROOT_PINNED)) {
      return Optional.of(
          "it does not chain to the AWS Nitro root; a document of teec's simulated NSM verifies"
              + " with --root $TEEC_HOME/simulated-nsm/root.pem");
    }
    if (failed.stream().anyMatch(TIME::contains)) {
      return Optional.of(
          "to audit an older document, check it as of its own signing time with --at document");
    }
    if (section.equals("V7")) {
      return Optional.of(
          "it is a genuine document but not the one expected: compare --expect-*, --policy and"
              + " --allow-debug with its values above");
    }
    return Optional.empty();
  }

  /**
   * After {@code teec verify bundle} (or a command that verifies bundles) rejected bundles, or
   * verified one whose image it could not identify: the remedy for the first that has one.
   */
  public static Optional<String> afterBundles(List<BundleVerification> results) {
    for (BundleVerification v : results) {
      Optional<String> step = forBundle(v);
      if (step.isPresent()) {
        return step;
      }
    }
    return results.stream().anyMatch(v -> !v.verified())
        ? Optional.of("the failed checks above say what is wrong; see 'teec verify bundle --help'")
        : Optional.empty();
  }

  private static Optional<String> forBundle(BundleVerification v) {
    if (v.verified()) {
      return unidentified(v)
          ? Optional.of("run with --registry FILE --registry-keys JWKS to identify the image")
          : Optional.empty();
    }
    List<String> failed = v.failures();
    if (failed.stream().anyMatch(DAMAGED::contains)) {
      return Optional.of(
          "do not use it: the bundle is not what its builder wrote; get it again from the builder");
    }
    if (failed.stream().anyMatch(NextSteps::artifactCheck)) {
      return Optional.of(
          "do not use these files: they are not the ones the report says were built");
    }
    if (failed.contains("bundle.attestation")) {
      List<CheckId> attestation =
          v.attestation().map(VerificationResult::failures).orElse(List.of());
      // The report is not read before the attestation verifies, so only the root can hint at a
      // local build.
      if (!v.simulated() && attestation.equals(List.of(CheckId.CHAIN_ROOT_PINNED))) {
        return Optional.of(
            "its attestation does not chain to the AWS Nitro root: if it was built in local mode,"
                + " check it with --simulated, which shows that it is consistent, not that an"
                + " enclave built it");
      }
      if (attestation.stream().anyMatch(TIME::contains)) {
        return Optional.of(
            "to audit an older bundle, check it as of its attestation's signing time with --at"
                + " document");
      }
      return Optional.of(
          "do not trust it: its attestation does not come from AWS Nitro hardware as required");
    }
    if (imageNotIdentified(v, CheckStatus.FAIL)) {
      return Optional.of(
          "say which enclave image you trust: --registry FILE --registry-keys JWKS or --expect-pcr"
              + " 0=HEX; --any-image accepts any image, with a warning");
    }
    if (failed.contains("bundle.image")) {
      return Optional.of(
          "its image is not an active image of the registry: do not trust it, or check that"
              + " --registry is the registry you mean");
    }
    if (failed.stream().anyMatch(id -> id.startsWith("bundle.expect."))) {
      return Optional.of(
          "it is a genuine bundle but not the one expected: compare --expect-source,"
              + " --expect-builder and --expect-nonce with what it records above");
    }
    return Optional.empty();
  }

  /** A check of the built files: the subjects, an artifact in the bundle, or a file given. */
  private static boolean artifactCheck(String id) {
    return id.equals("bundle.subjects")
        || id.equals("bundle.files")
        || id.startsWith("bundle.artifact:")
        || id.startsWith("bundle.file:");
  }

  /** Verified, not simulated, and the image identified by no registry and no pinned PCR. */
  private static boolean unidentified(BundleVerification v) {
    return !v.simulated() && imageNotIdentified(v, CheckStatus.WARN);
  }

  /** {@code bundle.image} has {@code status} because no registry and no pinned PCR named it. */
  private static boolean imageNotIdentified(BundleVerification v, CheckStatus status) {
    return v.check("bundle.image")
        .map(c -> c.status() == status && c.detail().contains("not identified"))
        .orElse(false);
  }
}
