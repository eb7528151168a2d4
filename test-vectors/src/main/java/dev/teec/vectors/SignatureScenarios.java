package dev.teec.vectors;

import dev.teec.generator.CoseSign1;
import dev.teec.generator.DeterministicKey;
import dev.teec.generator.DocumentSigner;
import dev.teec.generator.KeyType;

/** Documents whose COSE signature does not verify. */
final class SignatureScenarios extends ScenarioGroup {
  SignatureScenarios(Shared shared) {
    super(shared);
  }

  @Override
  void add() {
    CoseSign1 env = envelope(spec());
    byte[] sig = env.signature();
    sig[sig.length - 1] ^= 1;
    scenario(
            "signature-bitflip",
            "The lowest bit of the signature's last byte is flipped.",
            env.withSignature(sig).encode())
        .fails("cose.signature");
    byte[] payload = env.payload();
    payload[payload.length - 1] ^= 1;
    scenario(
            "payload-bitflip-after-signing",
            "After signing, the lowest bit of the payload's last byte (inside"
                + " the nonce) is flipped; the payload still parses.",
            env.withPayload(payload).encode())
        .fails("cose.signature");
    scenario(
            "signature-from-other-key",
            "The document carries the genuine chain but is signed by another P-384" + " key.",
            DocumentSigner.signEnvelope(
                    spec().build(),
                    chain.leafCertificate(),
                    chain.cabundle(),
                    DeterministicKey.derive(seed, "not-the-leaf", KeyType.P384))
                .encode())
        .fails("cose.signature");
  }
}
