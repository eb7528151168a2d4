package dev.teec.verifier.bundle;

import dev.teec.formats.report.ProvenanceReport;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.Check;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.Policy;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.image.ImageLookup;
import dev.teec.verifier.image.ImageRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which enclave image built the bundle: step 3 of spec C2 ({@code bundle.image}) and the builder
 * expectation ({@code bundle.expect.builder}). The image is identified only by the attested PCRs,
 * matched against pinned values or an {@link ImageRegistry}; the report's own image claims must
 * agree with the attestation but never identify it.
 */
final class ImageCheck {
  private final BundleVerifier settings;
  private final VerificationResult attestation;
  private final ProvenanceReport report;
  private ImageLookup lookup;

  /**
   * @param report the parsed report, or null when it is not valid
   */
  ImageCheck(BundleVerifier settings, VerificationResult attestation, ProvenanceReport report) {
    this.settings = settings;
    this.attestation = attestation;
    this.report = report;
  }

  /**
   * Step 3: the report names the attested image, and that image is known (registry) or pinned
   * (policy PCRs); with neither, a WARN saying the image was not identified.
   */
  BundleCheck image() {
    Optional<AttestationDocument> doc = attestation.decodedUnverified();
    if (doc.isEmpty()) {
      return BundleCheck.skip("bundle.image", "not checked: the attestation could not be decoded");
    }
    AttestationDocument d = doc.get();
    List<String> problems = new ArrayList<>();
    List<String> found = new ArrayList<>();
    if (report != null) {
      new TreeMap<>(report.enclaveImage().pcrs())
          .forEach(
              (index, value) -> {
                String attested = d.pcr(index).map(Bytes::hex).orElse(null);
                if (!value.equals(attested)) {
                  problems.add(
                      "the report names the image by PCR"
                          + index
                          + " = "
                          + value
                          + " but the attestation has "
                          + (attested == null ? "no PCR" + index : attested));
                }
              });
    }
    Policy policy = settings.options.policy();
    if (!policy.expectedPcrs().isEmpty() || policy.allowedPcrSets().isPresent()) {
      boolean pinsHold = true;
      for (CheckId id : List.of(CheckId.POLICY_PCRS, CheckId.POLICY_PCR_SETS)) {
        Check c = attestation.check(id);
        if (c.status() != CheckStatus.PASS && c.status() != CheckStatus.SKIP) {
          problems.add(c.detail());
          pinsHold = false;
        }
      }
      if (pinsHold) {
        found.add("the attested PCRs match the pinned values");
      }
    }
    ImageRegistry registry = settings.registry;
    if (registry != null) {
      Instant at = attestation.verifiedAt().orElse(d.timestamp());
      lookup = registry.lookup(d.pcrs(), at);
      switch (lookup.outcome()) {
        case ACTIVE ->
            found.add(
                "image "
                    + lookup.imageId()
                    + " in "
                    + registry.describe()
                    + (lookup.detail().isEmpty() ? "" : " (" + lookup.detail() + ")"));
        case INACTIVE ->
            problems.add(
                "image "
                    + lookup.imageId()
                    + " is not active in "
                    + registry.describe()
                    + ": "
                    + lookup.detail());
        case UNKNOWN ->
            problems.add(
                "no image in "
                    + registry.describe()
                    + " has the attested PCRs (PCR0 "
                    + d.pcr(0).map(Bytes::hex).orElse("absent")
                    + ")"
                    + (lookup.detail().isEmpty() ? "" : ": " + lookup.detail()));
      }
    }
    if (!problems.isEmpty()) {
      return BundleCheck.fail("bundle.image", String.join("; ", problems));
    }
    if (registry != null && !registry.warnings().isEmpty()) {
      return BundleCheck.warn(
          "bundle.image", String.join("; ", found) + "; " + String.join("; ", registry.warnings()));
    }
    if (found.isEmpty()) {
      return BundleCheck.warn(
          "bundle.image",
          "the image is not identified: no registry given and no PCRs"
              + " pinned (PCR0 "
              + d.pcr(0).map(Bytes::hex).orElse("absent")
              + ")");
    }
    return BundleCheck.pass(
        "bundle.image",
        String.join("; ", found) + (report == null ? "" : "; the report names the same image"));
  }

  /** The registry's id for the attested image when {@link #image()} found it active, else null. */
  String activeImageId() {
    return lookup != null && lookup.outcome() == ImageLookup.Outcome.ACTIVE
        ? lookup.imageId()
        : null;
  }

  /** Step 7: the builder's image is the expected one; call after {@link #image()}. */
  BundleCheck expectedBuilder() {
    String id = "bundle.expect.builder";
    String expected = settings.expectedBuilder;
    String pcr0 =
        attestation.decodedUnverified().flatMap(d -> d.pcr(0)).map(Bytes::hex).orElse(null);
    if (expected.equalsIgnoreCase(pcr0 == null ? "" : pcr0)) {
      return BundleCheck.pass(id, "the attested PCR0 is " + pcr0);
    }
    if (lookup != null) {
      String registryId = activeImageId();
      return expected.equals(registryId)
          ? BundleCheck.pass(
              id, "the attested image is " + registryId + " in " + settings.registry.describe())
          : BundleCheck.fail(
              id,
              "the attested image is "
                  + (registryId == null ? "not an active registry image" : registryId)
                  + ", expected "
                  + expected);
    }
    if (report == null) {
      return BundleCheck.skip(id, "not checked: the report is not valid and no registry was given");
    }
    String recorded = report.enclaveImage().registryId();
    return expected.equals(recorded)
        ? BundleCheck.pass(
            id,
            "the report records image "
                + recorded
                + " (the worker's claim; give a registry to confirm it)")
        : BundleCheck.fail(
            id,
            "the report records image "
                + (recorded == null ? "without a registry id" : recorded)
                + " and PCR0 "
                + pcr0
                + ", expected "
                + expected);
  }
}
