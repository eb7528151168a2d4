package dev.teec.verifier.bundle;

import java.util.Objects;

/**
 * Who built a bundle, as far as the attestation proves it: the Nitro Security Module that signed it
 * and the enclave image it measured. Two bundles with different identities come from different
 * enclaves, which is what makes their agreement evidence.
 *
 * @param moduleId the attestation's {@code module_id} (the NSM, hence the enclave instance)
 * @param pcr0 the attested PCR0 (the image measurement), lowercase hex
 * @param imageId the registry's id for the attested image, or null without a registry match
 */
public record BuilderIdentity(String moduleId, String pcr0, String imageId) {
  /** Validates that the attested parts are present. */
  public BuilderIdentity {
    Objects.requireNonNull(moduleId, "moduleId");
    Objects.requireNonNull(pcr0, "pcr0");
  }

  /** {@code module <id>, image <registry id or PCR0 prefix>}, for one-line reports. */
  public String describe() {
    return "module "
        + moduleId
        + ", image "
        + (imageId != null
            ? imageId
            : "PCR0 " + pcr0.substring(0, Math.min(16, pcr0.length())) + "…");
  }
}
