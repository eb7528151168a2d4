package dev.teec.enclave.runner;

import java.io.IOException;

/**
 * The runner could not run the build to an outcome: the build area is unusable, the process or its
 * isolation could not be started, or the log listener failed (which cancels the build). A build
 * that runs and fails is not an exception; see {@link RunOutcome#status()}.
 */
public final class BuildRunnerException extends IOException {
  public BuildRunnerException(String message) {
    super(message);
  }

  public BuildRunnerException(String message, Throwable cause) {
    super(message, cause);
  }
}
