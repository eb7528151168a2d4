package dev.teec.enclave.nsm;

import java.util.Map;

/**
 * A source of attestation documents: the real Nitro Security Module ({@link DeviceNsm}) or the
 * local simulation ({@link SimulatedNsm}). Implementations are thread-safe.
 */
public interface Nsm {
  /**
   * Asks for an attestation document carrying the request's {@code user_data}, {@code nonce} and
   * {@code public_key} (CBOR null for each absent one).
   *
   * @return the document as the NSM returns it: an untagged COSE_Sign1 (ES384) whose payload is the
   *     AWS attestation document map
   * @throws NsmException if no document could be obtained; the message says why
   */
  byte[] attest(AttestationRequest request) throws NsmException;

  /**
   * The PCRs (index to value) that this NSM's attestation documents carry, by which the report
   * names the enclave image. They come from where the documents' PCRs come from: the device's are
   * read from an attestation without user data, the simulation's are the values it signs into every
   * document (and costs no signature).
   *
   * @throws NsmException if they could not be obtained
   */
  Map<Integer, byte[]> pcrs() throws NsmException;

  /**
   * A short human-readable description of where documents come from, for logs and reports, for
   * example {@code nitro /dev/nsm} or {@code simulated (root sha256 <hex>,
   * /home/u/.teec/simulated-nsm)}.
   */
  String describe();
}
