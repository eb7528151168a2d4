package dev.teec.enclave.protocol.egress;

import dev.teec.enclave.protocol.ErrorCode;
import java.util.Objects;
import java.util.Optional;

/**
 * One decision of the forwarder, for its audit log.
 *
 * @param peer who asked (the enclave side of the connection)
 * @param target {@code "host:port"} as requested, or empty if no valid request was read
 * @param refusal why the request was refused, or empty if the connection is being relayed
 * @param detail a sentence for people
 */
public record EgressEvent(String peer, String target, Optional<ErrorCode> refusal, String detail) {

  /** Checks the fields are present. */
  public EgressEvent {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(refusal, "refusal");
    Objects.requireNonNull(detail, "detail");
  }

  /** Whether the connection was allowed and is being relayed. */
  public boolean relayed() {
    return refusal.isEmpty();
  }
}
