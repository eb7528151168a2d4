package dev.teec.enclave.worker;

import java.util.Objects;

/**
 * One build as a client requests it.
 *
 * @param buildJson the build.json bytes exactly as sent (parsed strictly by the worker)
 * @param nonce the client's fresh nonce, placed in the attestation's {@code nonce}
 * @param source what the client says about the source
 */
public record BuildJob(byte[] buildJson, byte[] nonce, SourceMetadata source) {
  public BuildJob {
    buildJson = Objects.requireNonNull(buildJson, "buildJson").clone();
    nonce = Objects.requireNonNull(nonce, "nonce").clone();
    Objects.requireNonNull(source, "source");
  }

  @Override
  public byte[] buildJson() {
    return buildJson.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }
}
