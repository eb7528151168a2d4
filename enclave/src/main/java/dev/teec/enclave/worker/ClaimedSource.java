package dev.teec.enclave.worker;

import java.time.Instant;
import java.util.Optional;

/**
 * What the client says about the source it sends. The report records it; commit, tree and path
 * count as verified only when the job carries the checked claim ({@link BuildJob#claim()}). The
 * archive's digest is not here: the worker computes it from the bytes it receives.
 *
 * @param uri where the source lives (e.g. a git remote), or null
 * @param commit git commit id, or null
 * @param tree git tree id, or null
 * @param path the archived directory within the commit, or null for the top of the repository
 * @param dirty whether the work tree had uncommitted changes, or null when unknown
 * @param commitTime commit time, which becomes SOURCE_DATE_EPOCH; empty when unknown
 */
public record ClaimedSource(
    String uri,
    String commit,
    String tree,
    String path,
    Boolean dirty,
    Optional<Instant> commitTime) {
  public ClaimedSource {
    commitTime = commitTime == null ? Optional.empty() : commitTime;
  }

  /** Nothing known about the source but its bytes. */
  public static ClaimedSource unknown() {
    return new ClaimedSource(null, null, null, null, null, Optional.empty());
  }
}
