package dev.teec.builder.client;

import dev.teec.enclave.protocol.SourceMetadata;
import java.util.Map;
import java.util.Objects;

/**
 * What the returned bundle must show for this build.
 *
 * @param nonce the nonce sent with the build request
 * @param buildJson the build.json bytes sent
 * @param sourceSha256 the SHA-256 (hex) of the source archive sent
 * @param source the source metadata sent
 * @param simulated whether a simulated worker built it (local builder id) or an enclave (Nitro id)
 * @param emulated whether the enclave was QEMU's emulation of Nitro (an unsigned attestation is
 *     then accepted in QEMU's exact shape, every other check as usual)
 * @param pcrs PCRs the attestation must show (index to hex), possibly none
 * @param debug whether a debug-mode enclave built it (all-zero PCRs are then accepted)
 */
public record Expectations(
    byte[] nonce,
    byte[] buildJson,
    String sourceSha256,
    SourceMetadata source,
    boolean simulated,
    boolean emulated,
    Map<Integer, String> pcrs,
    boolean debug) {

  /** Copies the arrays and the map. */
  public Expectations {
    nonce = nonce.clone();
    buildJson = buildJson.clone();
    Objects.requireNonNull(sourceSha256, "sourceSha256");
    Objects.requireNonNull(source, "source");
    pcrs = Map.copyOf(pcrs);
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] buildJson() {
    return buildJson.clone();
  }
}
