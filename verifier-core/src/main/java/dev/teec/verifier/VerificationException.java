package dev.teec.verifier;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link VerificationResult#requireVerified()}; carries the failed checks. */
public final class VerificationException extends Exception {
  private final transient List<Check> failedChecks;

  VerificationException(List<Check> failedChecks) {
    super(
        "attestation rejected: "
            + failedChecks.stream()
                .map(c -> c.id().id() + " (" + c.detail() + ")")
                .collect(Collectors.joining("; ")));
    this.failedChecks = List.copyOf(failedChecks);
  }

  /** The checks that failed, in the order they ran. */
  public List<Check> failedChecks() {
    return failedChecks;
  }

  /** The ids of the failed checks. */
  public List<CheckId> failures() {
    return failedChecks.stream().map(Check::id).toList();
  }
}
