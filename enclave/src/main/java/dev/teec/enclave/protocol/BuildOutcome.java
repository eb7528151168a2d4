package dev.teec.enclave.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * How a build ended, as the client saw it.
 *
 * @param result the worker's result frame
 * @param bundle the received bundle's verified size and digest, or empty if the worker sent none
 *     (never empty when {@code result.success()})
 */
public record BuildOutcome(Result result, Optional<StreamDigest> bundle) {

  /** Checks the fields are present. */
  public BuildOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(bundle, "bundle");
  }
}
