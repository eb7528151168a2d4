package dev.teec.verifier;

/**
 * Every check the verifier runs, in the order it runs them. The {@link #id()} strings are a stable
 * contract (they appear in CLI JSON output and in {@code failures}); the section names the part of
 * the specification (spec/verifier.md, indexed by SPEC.md) that defines the check.
 */
public enum CheckId {
  INPUT_SIZE("input.size", "V1"),
  CBOR_WELL_FORMED("cbor.well_formed", "V1"),
  CBOR_TAGS("cbor.tags", "V1"),
  COSE_STRUCTURE("cose.structure", "V2"),
  COSE_ALGORITHM("cose.algorithm", "V2"),
  COSE_UNPROTECTED("cose.unprotected", "V2"),
  COSE_PAYLOAD("cose.payload", "V2"),
  COSE_SIGNATURE_LENGTH("cose.signature_length", "V2"),
  PAYLOAD_MAP("payload.map", "V3"),
  PAYLOAD_KIND("payload.kind", "V3"),
  PAYLOAD_MODULE_ID("payload.module_id", "V3"),
  PAYLOAD_DIGEST("payload.digest", "V3"),
  PAYLOAD_TIMESTAMP("payload.timestamp", "V3"),
  PAYLOAD_PCRS("payload.pcrs", "V3"),
  PAYLOAD_CERTIFICATE("payload.certificate", "V3"),
  PAYLOAD_CABUNDLE("payload.cabundle", "V3"),
  PAYLOAD_PUBLIC_KEY("payload.public_key", "V3"),
  PAYLOAD_USER_DATA("payload.user_data", "V3"),
  PAYLOAD_NONCE("payload.nonce", "V3"),
  PAYLOAD_UNKNOWN_KEYS("payload.unknown_keys", "V3"),
  CHAIN_LENGTH("chain.length", "V4"),
  CHAIN_PARSE("chain.parse", "V4"),
  CHAIN_ROOT_PINNED("chain.root_pinned", "V4"),
  CHAIN_NAMES("chain.names", "V4"),
  CHAIN_ALGORITHMS("chain.algorithms", "V4"),
  CHAIN_BASIC_CONSTRAINTS("chain.basic_constraints", "V4"),
  CHAIN_PATH_LENGTH("chain.path_length", "V4"),
  CHAIN_KEY_USAGE("chain.key_usage", "V4"),
  CHAIN_CRITICAL_EXTENSIONS("chain.critical_extensions", "V4"),
  CHAIN_SIGNATURES("chain.signatures", "V4"),
  CHAIN_VALIDITY("chain.validity", "V5"),
  TIME_MAX_AGE("time.max_age", "V5"),
  TIME_FUTURE_SKEW("time.future_skew", "V5"),
  COSE_SIGNATURE("cose.signature", "V6"),
  POLICY_DOCUMENT_KIND("policy.document_kind", "V7"),
  POLICY_DEBUG_MODE("policy.debug_mode", "V7"),
  POLICY_PCRS("policy.pcrs", "V7"),
  POLICY_PCR_SETS("policy.pcr_sets", "V7"),
  POLICY_USER_DATA("policy.user_data", "V7"),
  POLICY_NONCE("policy.nonce", "V7"),
  POLICY_PUBLIC_KEY("policy.public_key", "V7");

  private final String id;
  private final String specSection;

  CheckId(String id, String specSection) {
    this.id = id;
    this.specSection = specSection;
  }

  /** The stable identifier, for example {@code chain.validity}. */
  public String id() {
    return id;
  }

  /**
   * The specification section that defines this check, as a path from the repository root and the
   * section's anchor, for example {@code spec/verifier.md#V4}.
   */
  public String specReference() {
    return "spec/verifier.md#" + specSection;
  }

  @Override
  public String toString() {
    return id;
  }
}
