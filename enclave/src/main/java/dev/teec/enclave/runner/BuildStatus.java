package dev.teec.enclave.runner;

/** How a build ended. Only {@link #SUCCEEDED} may be reported as a successful build. */
public enum BuildStatus {
  /** The command exited with 0 and every output pattern resolved to valid files. */
  SUCCEEDED,
  /** The command exited with a non-zero status. */
  FAILED,
  /** The command ran past its timeout; its process tree was killed. */
  TIMED_OUT,
  /**
   * The command exited with 0 but the outputs are unusable: a pattern matched no file, a file
   * escapes the source root, or a size limit was exceeded.
   */
  OUTPUT_INVALID
}
