package dev.teec.enclave.protocol;

/**
 * What a client hears while a build runs. Called on the thread that reads the session, in frame
 * order; every method does nothing by default.
 */
public interface BuildEvents {

  /** A log line; its text is untrusted (see {@link LogLine}). */
  default void onLog(LogLine line) {}

  /** The worker entered a new phase. */
  default void onPhase(BuildPhase phase) {}

  /** A bundle of this size and digest follows. */
  default void onBundleStart(BundleStart start) {}

  /** Ignores everything. */
  BuildEvents NONE = new BuildEvents() {};
}
