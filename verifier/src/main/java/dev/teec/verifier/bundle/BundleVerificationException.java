package dev.teec.verifier.bundle;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link BundleVerification#requireVerified()}; carries the failed checks. */
public final class BundleVerificationException extends Exception {
  private final transient List<BundleCheck> failedChecks;

  BundleVerificationException(String input, List<BundleCheck> failedChecks) {
    super(
        "bundle "
            + input
            + " rejected: "
            + failedChecks.stream()
                .map(c -> c.id() + " (" + c.detail() + ")")
                .collect(Collectors.joining("; ")));
    this.failedChecks = List.copyOf(failedChecks);
  }

  /** The checks that failed, in the order they ran. */
  public List<BundleCheck> failedChecks() {
    return failedChecks;
  }

  /** The ids of the failed checks. */
  public List<String> failures() {
    return failedChecks.stream().map(BundleCheck::id).toList();
  }
}
