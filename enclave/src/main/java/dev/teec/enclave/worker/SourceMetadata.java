package dev.teec.enclave.worker;

import java.time.Instant;
import java.util.Optional;

/**
 * What the client says about the source it sends; recorded in the report as given. The archive's
 * digest is not here: the worker computes it from the bytes it receives.
 *
 * @param uri where the source lives (e.g. a git remote), or null
 * @param commit git commit id, or null
 * @param tree git tree id, or null
 * @param dirty whether the work tree had uncommitted changes, or null when unknown
 * @param commitTime commit time, which becomes SOURCE_DATE_EPOCH; empty when unknown
 */
public record SourceMetadata(
    String uri, String commit, String tree, Boolean dirty, Optional<Instant> commitTime) {
  public SourceMetadata {
    commitTime = commitTime == null ? Optional.empty() : commitTime;
  }

  /** Nothing known about the source but its bytes. */
  public static SourceMetadata unknown() {
    return new SourceMetadata(null, null, null, null, Optional.empty());
  }
}
