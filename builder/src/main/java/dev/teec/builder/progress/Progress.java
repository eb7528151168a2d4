package dev.teec.builder.progress;

import dev.teec.enclave.protocol.LogLine;

/** Receives a build's progress; called from the build's threads, in order per thread. */
public interface Progress {

  /** The build entered a new phase, e.g. "sending source". */
  void phase(String text);

  /** A line of the build's own output (untrusted text). */
  void log(LogLine line);

  /** {@code done} of {@code total} bytes of {@code what} have been transferred. */
  void transfer(String what, long done, long total);

  /** A remark for people: a decision, a warning, the worker's diagnostics. */
  void note(String text);

  /** Ignores everything. */
  Progress NONE =
      new Progress() {
        @Override
        public void phase(String text) {}

        @Override
        public void log(LogLine line) {}

        @Override
        public void transfer(String what, long done, long total) {}

        @Override
        public void note(String text) {}
      };
}
