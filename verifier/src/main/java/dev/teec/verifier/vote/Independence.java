package dev.teec.verifier.vote;

/**
 * How the vote told two builders apart (spec C3): what a {@link BuilderId} is, and so what counting
 * it once proves.
 */
public enum Independence {
  /**
   * A pinned operator key signed the bundle ({@code --builders}). Independence is what whoever
   * pinned the keys knows about their holders; the attestation says nothing about it.
   */
  OPERATOR_KEY,
  /**
   * The EC2 instance that launched the enclave: the {@code i-...} part of the attested Nitro {@code
   * module_id}, under a root whose module ids AWS assigns (the AWS Nitro Enclaves root). One
   * machine is one builder however many enclaves it launches; two instances may still belong to one
   * account or one operator.
   */
  PARENT_INSTANCE,
  /**
   * The local simulated NSM's root: whoever holds its key can attest any module id, so all its
   * bundles are one builder, and they prove nothing about independent hardware.
   */
  SIMULATED_ROOT,
  /**
   * Another root the verifier was told to trust (not one whose module ids name parent instances,
   * not the simulated root): its holder can attest any module id, so all its bundles are one
   * builder.
   */
  ATTESTATION_ROOT;

  /** The lowercase, hyphenated name used in JSON: {@code operator-key}, {@code parent-instance}. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
