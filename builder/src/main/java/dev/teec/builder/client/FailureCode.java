package dev.teec.builder.client;

/** Why a build produced no bundle; stable names for the CLI's JSON and exit codes. */
public enum FailureCode {
  /** The build command failed, timed out, or an output was missing; the worker attested nothing. */
  BUILD_FAILED,
  /** The worker refused the request or ended the session with an error. */
  WORKER_ERROR,
  /** The worker went away mid-build (killed, crashed, enclave stopped). */
  WORKER_GONE,
  /**
   * The returned bundle is malformed or inconsistent, or was not made from this source and
   * build.json.
   */
  BUNDLE_REJECTED,
  /**
   * The bundle's attestation does not verify: wrong nonce, wrong report digest, untrusted chain,
   * PCRs.
   */
  ATTESTATION_REJECTED,
  /** The build was cancelled (Ctrl-C). */
  CANCELLED,
  /** The worker or enclave could not be started or reached. */
  LAUNCH_FAILED
}
