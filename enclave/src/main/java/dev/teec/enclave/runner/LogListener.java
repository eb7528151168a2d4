package dev.teec.enclave.runner;

import java.io.IOException;

/**
 * Receives the build log line by line while the build runs. Calls come from one thread at a time,
 * in log order. A listener that throws cancels the build: the runner kills the process tree and
 * {@link BuildRunner#run} throws a {@link BuildRunnerException}.
 */
@FunctionalInterface
public interface LogListener {
  /**
   * One line without its terminating newline (a trailing CR is removed too), decoded as UTF-8 with
   * malformed bytes replaced by U+FFFD. Lines longer than 64 KiB arrive in pieces. Lines from the
   * runner itself (truncation, timeout, {@link BuildNotes}) start with {@code [teec: }.
   */
  void onLine(String line) throws IOException;

  /** A listener that drops every line. */
  static LogListener ignore() {
    return line -> {};
  }
}
