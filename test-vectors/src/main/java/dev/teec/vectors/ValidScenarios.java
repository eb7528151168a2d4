package dev.teec.vectors;

import dev.teec.generator.CborWriter;
import dev.teec.generator.Derive;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Valid documents in every shape real ones take; each must verify. */
final class ValidScenarios extends ScenarioGroup {
  ValidScenarios(Shared shared) {
    super(shared);
  }

  @Override
  void add() {
    scenario(
            "valid-document",
            "A well-formed document as the AWS NSM makes it, signed by a simulated AWS-shaped chain.",
            sign(spec()))
        .verifies();
    scenario(
            "valid-policy-match",
            "A document with public_key, user_data and nonce, checked against a policy that"
                + " pins PCR0-2, allows PCR sets, and expects exactly these user_data, nonce and public_key values.",
            sign(spec().publicKey(publicKey)))
        .policy(
            Map.of(
                "pcrs", hexMap(0, pcrs.get(0), 1, pcrs.get(1), 2, pcrs.get(2)),
                "allowedPcrSets",
                    List.of(hexMap(3, other("pcr3")), hexMap(4, pcrs.get(4), 8, pcrs.get(8))),
                "userData", hex(USER_DATA),
                "nonce", hex(nonce),
                "publicKey", hex(publicKey)))
        .verifies();
    scenario(
            "valid-indefinite-payload-map",
            "The payload map has indefinite length (0xbf ... 0xff), as NSM documents"
                + " have since 2025; strict decoders must still accept it.",
            sign(spec().indefiniteLengthMap()))
        .verifies();
    List<String> reversed = new ArrayList<>(NSM_KEY_ORDER);
    Collections.reverse(reversed);
    Map<Integer, byte[]> descending = new LinkedHashMap<>();
    for (int i = 15; i >= 0; i--) {
      descending.put(i, pcrs.get(i));
    }
    scenario(
            "valid-noncanonical-key-order",
            "Payload keys in reverse NSM order and PCRs in descending index order;"
                + " CBOR map order carries no meaning, so the document verifies.",
            sign(spec().keyOrder(reversed).pcrs(descending)))
        .verifies();
    scenario(
            "valid-tag18",
            "The COSE_Sign1 array is wrapped in tag 18, its registered tag; the untagged and tagged"
                + " forms are both valid.",
            envelope(spec()).withTags(18).encode())
        .verifies();
    scenario(
            "valid-debug-allowed",
            "A debug-mode enclave (PCR0, PCR1, PCR2 all zero) accepted by a policy with"
                + " allowDebug; the verdict is verified with a warning.",
            sign(spec().pcrs(debugPcrs())))
        .policy(Map.of("allowDebug", true))
        .verifies("policy.debug_mode");
    scenario(
            "unknown-payload-key",
            "The payload has a key outside the AWS specification; it is ignored and reported"
                + " as a warning.",
            sign(
                spec()
                    .extraEntry(
                        "teec_test_extension", CborWriter.text("not in the AWS specification"))))
        .verifies("payload.unknown_keys");
    scenario(
            "nitrotpm-document",
            "A NitroTPM attestation document: 24 PCRs under nitrotpm_pcrs instead of pcrs."
                + " It is recognised as NITRO_TPM and accepted by a policy with allowNitroTpm,"
                + " with a warning naming the kind; the enclave debug-mode rule does not apply.",
            sign(spec().nitroTpm().pcrs(pcrs(24))))
        .policy(Map.of("allowNitroTpm", true))
        .verifiesAs("NITRO_TPM", "policy.document_kind");
    scenario(
            "nitrotpm-document-not-allowed",
            "The NitroTPM document of nitrotpm-document under the default policy: an EC2"
                + " instance's boot measurements are not an enclave's, so it is rejected.",
            sign(spec().nitroTpm().pcrs(pcrs(24))))
        .fails("policy.document_kind");
    scenario(
            "valid-empty-optional-fields",
            "public_key, user_data and nonce are empty byte strings, as real documents have them"
                + " (a 2021 AWS document has an empty public_key): present, and empty.",
            sign(spec().publicKey(new byte[0]).userData(new byte[0]).nonce(new byte[0])))
        .verifies();
    scenario(
            "valid-max-size-fields",
            "public_key, user_data and nonce are each 1024 bytes, the largest the AWS"
                + " specification allows.",
            sign(
                spec()
                    .publicKey(Derive.bytes(1024, "max", "public_key", seed))
                    .userData(Derive.bytes(1024, "max", "user_data", seed))
                    .nonce(Derive.bytes(1024, "max", "nonce", seed))))
        .verifies();
  }
}
