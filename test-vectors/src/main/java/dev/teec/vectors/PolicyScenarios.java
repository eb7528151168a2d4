package dev.teec.vectors;

import java.util.List;
import java.util.Map;

/** Valid documents that a caller's policy rejects, one per policy rule. */
final class PolicyScenarios extends ScenarioGroup {
  PolicyScenarios(Shared shared) {
    super(shared);
  }

  @Override
  void add() {
    scenario(
            "debug-pcrs-rejected",
            "A debug-mode enclave (PCR0, PCR1, PCR2 all zero) under the default policy,"
                + " which rejects debug mode.",
            sign(spec().pcrs(debugPcrs())))
        .fails("policy.debug_mode");
    scenario(
            "missing-pinned-pcr",
            "The policy pins PCR16, which the document (PCRs 0..15) does not have.",
            sign(spec()))
        .policy(Map.of("pcrs", hexMap(16, other("pcr16"))))
        .fails("policy.pcrs");
    scenario(
            "pcr-mismatch",
            "The policy pins PCR0 to a value other than the document's.",
            sign(spec()))
        .policy(Map.of("pcrs", hexMap(0, other("pcr0"))))
        .fails("policy.pcrs");
    scenario(
            "no-allowed-pcr-set-matches",
            "The policy allows two PCR sets and the document matches neither.",
            sign(spec()))
        .policy(
            Map.of("allowedPcrSets", List.of(hexMap(0, other("pcr0")), hexMap(1, other("pcr1")))))
        .fails("policy.pcr_sets");
    scenario(
            "user-data-mismatch",
            "The policy expects other user_data than the document's.",
            sign(spec()))
        .policy(Map.of("userData", hex(other("user_data"))))
        .fails("policy.user_data");
    scenario(
            "nonce-mismatch", "The policy expects another nonce than the document's.", sign(spec()))
        .policy(Map.of("nonce", hex(other("nonce"))))
        .fails("policy.nonce");
    scenario(
            "nonce-expected-but-absent",
            "The policy expects a nonce; the document's nonce is null.",
            sign(spec().nonce(null)))
        .policy(Map.of("nonce", hex(nonce)))
        .fails("policy.nonce");
    scenario(
            "public-key-mismatch",
            "The policy expects another public_key than the document's.",
            sign(spec().publicKey(publicKey)))
        .policy(Map.of("publicKey", hex(other("public_key"))))
        .fails("policy.public_key");
  }
}
