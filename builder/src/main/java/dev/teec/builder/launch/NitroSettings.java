package dev.teec.builder.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How to start the enclave.
 *
 * @param eif the enclave image file
 * @param expectedPcrs the PCRs the image measures to (from {@code describe-eif} or a registry); the
 *     attestation must show them unless {@code debug}
 * @param cpuCount vCPUs for the enclave, at least 2 on most instance types (whole cores)
 * @param memoryMib memory for the enclave in MiB; it must hold the image and the build
 * @param cid the enclave's vsock CID, or empty to let nitro-cli choose
 * @param debug start in debug mode (console readable; the attestation then has all-zero PCRs and
 *     verifiers reject it unless told to allow debug)
 * @param workerPort the vsock port the worker listens on inside the enclave
 * @param bootTimeout how long the worker may take to accept the connection after start
 * @param retryInterval pause between connection attempts while it boots
 */
public record NitroSettings(
    Path eif,
    Map<Integer, String> expectedPcrs,
    int cpuCount,
    long memoryMib,
    OptionalLong cid,
    boolean debug,
    long workerPort,
    Duration bootTimeout,
    Duration retryInterval) {

  /** The worker's port inside the enclave images teec builds. */
  public static final long DEFAULT_WORKER_PORT = 5000;

  /** Checks the values. */
  public NitroSettings {
    Objects.requireNonNull(eif, "eif");
    expectedPcrs = Map.copyOf(expectedPcrs);
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(bootTimeout, "bootTimeout");
    Objects.requireNonNull(retryInterval, "retryInterval");
    if (cpuCount < 1) {
      throw new IllegalArgumentException("cpu count must be at least 1, got " + cpuCount);
    }
    if (memoryMib < 64) {
      throw new IllegalArgumentException(
          "enclave memory must be at least 64 MiB, got " + memoryMib);
    }
    // CIDs 0..3 are reserved (hypervisor, local, host, parent); the kernel takes 32 bits.
    if (cid.isPresent() && (cid.getAsLong() < 4 || cid.getAsLong() > 0xFFFF_FFFEL)) {
      throw new IllegalArgumentException(
          "enclave CID must be in 4..4294967294, got " + cid.getAsLong());
    }
    if (workerPort < 1 || workerPort > 0xFFFF_FFFEL) {
      throw new IllegalArgumentException("worker port out of range: " + workerPort);
    }
  }
}
