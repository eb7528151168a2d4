package dev.teec.verifier;

/** Which Nitro attestation source produced a document; both are signed under the same AWS root. */
public enum DocumentKind {
  /** A Nitro Enclave document from the Nitro Security Module ({@code pcrs}). */
  NITRO_ENCLAVE,
  /**
   * A NitroTPM document from an EC2 instance's TPM ({@code nitrotpm_pcrs} instead of {@code pcrs}).
   */
  NITRO_TPM
}
