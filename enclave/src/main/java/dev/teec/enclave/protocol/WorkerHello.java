package dev.teec.enclave.protocol;

import java.util.HashSet;
import java.util.List;

/**
 * The worker's answer to a {@link ClientHello} with a supported version.
 *
 * @param protocolVersion the version the worker speaks, 1..65535
 * @param workerName a name for logs: 1..128 UTF-8 bytes, no control characters
 * @param capabilities what this worker offers (for example the languages it can build), at most 32
 *     distinct names of 1..64 characters from {@code [a-z0-9._-]} starting with a letter or digit;
 *     kept in the given order
 * @param mode where the worker runs; {@link WorkerMode#SIMULATED} means its attestation is not
 *     backed by Nitro hardware
 */
public record WorkerHello(
    int protocolVersion, String workerName, List<String> capabilities, WorkerMode mode)
    implements Frame {

  /** Checks the limits and copies the list. */
  public WorkerHello {
    FieldCheck.range(protocolVersion, 1, 65535, "worker_hello.protocol_version");
    FieldCheck.name(workerName, Protocol.MAX_NAME_BYTES, "worker_hello.worker_name");
    FieldCheck.present(capabilities, "worker_hello.capabilities");
    if (capabilities.size() > Protocol.MAX_CAPABILITIES) {
      throw new FrameValidationException(
          ErrorCode.LIMIT_EXCEEDED,
          "worker_hello.capabilities has "
              + capabilities.size()
              + " entries, must have at most "
              + Protocol.MAX_CAPABILITIES);
    }
    capabilities = List.copyOf(capabilities);
    HashSet<String> seen = new HashSet<>();
    for (int i = 0; i < capabilities.size(); i++) {
      String c = capabilities.get(i);
      String field = "worker_hello.capabilities[" + i + "]";
      if (c.isEmpty()
          || c.length() > Protocol.MAX_CAPABILITY_BYTES
          || !c.chars().allMatch(WorkerHello::isCapabilityChar)
          || c.charAt(0) == '.'
          || c.charAt(0) == '_'
          || c.charAt(0) == '-') {
        throw new FrameValidationException(
            ErrorCode.INVALID_VALUE,
            field
                + " must be 1.."
                + Protocol.MAX_CAPABILITY_BYTES
                + " characters of [a-z0-9._-] starting with a letter or digit,"
                + " got \""
                + FieldCheck.abbreviate(c)
                + "\"");
      }
      if (!seen.add(c)) {
        throw new FrameValidationException(
            ErrorCode.INVALID_VALUE, field + " repeats \"" + c + "\"");
      }
    }
    FieldCheck.present(mode, "worker_hello.mode");
  }

  /** A hello for this implementation's {@link Protocol#VERSION}. */
  public static WorkerHello of(String workerName, List<String> capabilities, WorkerMode mode) {
    return new WorkerHello(Protocol.VERSION, workerName, capabilities, mode);
  }

  /** Whether the worker's attestation is simulated (not backed by Nitro hardware). */
  public boolean simulated() {
    return mode == WorkerMode.SIMULATED;
  }

  @Override
  public FrameType frameType() {
    return FrameType.WORKER_HELLO;
  }

  private static boolean isCapabilityChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  }
}
