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
 * matched against pinned values (the policy's PCRs, or the PCR0 the expected builder names) or an
 * {@link ImageRegistry}; the report's own image claims never identify it, and are only required to
 * agree with the attestation ({@link #reportProblems}). An image identified by none of these fails,
 * unless any image was explicitly accepted.
 */
final class ImageCheck {
  private final BundleVerifier settings;
  private final VerificationResult attestation;
  private ImageLookup lookup;

  ImageCheck(BundleVerifier settings, VerificationResult attestation) {
    this.settings = settings;
    this.attestation = attestation;
  }

  /**
   * Step 3: the attested image is known (registry) or pinned (policy PCRs, the expected builder's
   * PCR0); with neither, a failure, or a WARN when any image is explicitly accepted.
   */
  BundleCheck image() {
    Optional<AttestationDocument> doc = attestation.decodedUnverified();
    if (doc.isEmpty()) {
      return BundleCheck.skip("bundle.image", "not checked: the attestation could not be decoded");
    }
    AttestationDocument d = doc.get();
    String pcr0 = d.pcr(0).map(Bytes::hex).orElse("absent");
    List<String> problems = new ArrayList<>();
    List<String> found = new ArrayList<>();
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
    if (settings.expectedBuilder != null && BundleVerifier.isPcr0(settings.expectedBuilder)) {
      if (settings.expectedBuilder.equalsIgnoreCase(pcr0)) {
        found.add("the attested PCR0 is the expected builder's");
      } else {
        problems.add(
            "the attested PCR0 is "
                + pcr0
                + ", the expected builder's is "
                + settings.expectedBuilder);
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
                    + pcr0
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
      return settings.anyImage
          ? BundleCheck.warn(
              "bundle.image",
              "ANY IMAGE: the enclave image is not identified (no registry, no pinned PCRs) and"
                  + " was accepted because any image is allowed; whoever can start an enclave"
                  + " could have built this bundle with any code (PCR0 "
                  + pcr0
                  + ")")
          : BundleCheck.fail(
              "bundle.image",
              "the enclave image is not identified: give a registry of trusted images or pin"
                  + " the image's PCRs, or accept any image explicitly (PCR0 "
                  + pcr0
                  + ")");
    }
    return BundleCheck.pass("bundle.image", String.join("; ", found));
  }

  /**
   * Where the report's own record of the image (its enclave-image PCRs) differs from the attested
   * PCRs: part of step 5, since a report that misnames its image is not a valid account of the
   * build.
   */
  List<String> reportProblems(ProvenanceReport report) {
    List<String> problems = new ArrayList<>();
    attestation
        .decodedUnverified()
        .ifPresent(
            d ->
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
                        }));
    return problems;
  }

  /** The registry's id for the attested image when {@link #image()} found it active, else null. */
  String activeImageId() {
    return lookup != null && lookup.outcome() == ImageLookup.Outcome.ACTIVE
        ? lookup.imageId()
        : null;
  }

  /**
   * Step 7: the builder's image is the expected one, by the attested PCR0 or by the registry's id
   * for the attested image; never by what the report claims. Call after {@link #image()}.
   */
  BundleCheck expectedBuilder() {
    String id = "bundle.expect.builder";
    String expected = settings.expectedBuilder;
    String pcr0 =
        attestation.decodedUnverified().flatMap(d -> d.pcr(0)).map(Bytes::hex).orElse(null);
    if (pcr0 == null) {
      return BundleCheck.skip(id, "not checked: the attestation could not be decoded");
    }
    if (expected.equalsIgnoreCase(pcr0)) {
      return BundleCheck.pass(id, "the attested PCR0 is " + pcr0);
    }
    if (lookup == null) {
      return BundleCheck.fail(id, "the attested PCR0 is " + pcr0 + ", expected " + expected);
    }
    String registryId = activeImageId();
    return expected.equals(registryId)
        ? BundleCheck.pass(
            id, "the attested image is " + registryId + " in " + settings.registry.describe())
        : BundleCheck.fail(
            id,
            "the attested image is "
                + (registryId == null ? "not an active registry image" : registryId)
                + " (PCR0 "
                + pcr0
                + "), expected "
                + expected);
  }
}
