package dev.teec.enclave.worker;

import dev.teec.enclave.git.ClaimedTrees;
import dev.teec.enclave.git.SourceClaim;
import java.util.Objects;
import java.util.Optional;

/**
 * One build as a client requests it.
 *
 * @param buildJson the build.json bytes exactly as sent (parsed strictly by the worker)
 * @param nonce the client's fresh nonce, placed in the attestation's {@code nonce}
 * @param source what the client says about the source
 * @param claim the client's source claim with its commit and trees checked; the worker checks the
 *     archive against it after extraction and only then records the commit as verified. Empty when
 *     the client made no verifiable claim
 */
public record BuildJob(
    byte[] buildJson, byte[] nonce, ClaimedSource source, Optional<ClaimedTrees> claim) {
  /**
   * Copies the arrays and checks that the claim is the one {@code source} describes.
   *
   * @throws IllegalArgumentException if the claim names another commit, tree or path
   */
  public BuildJob {
    buildJson = Objects.requireNonNull(buildJson, "buildJson").clone();
    nonce = Objects.requireNonNull(nonce, "nonce").clone();
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(claim, "claim");
    if (claim.isPresent()) {
      SourceClaim c = claim.get().claim();
      if (!c.commit().equals(source.commit())
          || !c.tree().equals(source.tree())
          || !c.path().equals(source.path() == null ? "" : source.path())
          || Boolean.TRUE.equals(source.dirty())) {
        throw new IllegalArgumentException(
            "the checked claim is not the source metadata's commit, tree and path");
      }
    }
  }

  /** A job without a verifiable source claim. */
  public BuildJob(byte[] buildJson, byte[] nonce, ClaimedSource source) {
    this(buildJson, nonce, source, Optional.empty());
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
