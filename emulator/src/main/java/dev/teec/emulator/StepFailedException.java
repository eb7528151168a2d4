package dev.teec.emulator;

import java.nio.file.Path;
import java.util.Optional;

/** A step of the emulator's setup or image build failed; the message names the step and its log. */
public final class StepFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String step;
  private final transient Path log;

  /**
   * @param step the step that failed, as its progress line named it
   * @param detail why
   * @param log where the step's full output is, if anywhere
   */
  public StepFailedException(String step, String detail, Path log) {
    super("step '" + step + "' failed: " + detail + (log != null ? " (log: " + log + ")" : ""));
    this.step = step;
    this.log = log;
  }

  /** The step that failed. */
  public String step() {
    return step;
  }

  /** The step's log file. */
  public Optional<Path> log() {
    return Optional.ofNullable(log);
  }
}
