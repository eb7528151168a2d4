package dev.teec.cli.challenge;

import dev.teec.cli.CliSupport;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * A challenge command cannot go on: the message says why, the exit code what kind of failure it is,
 * and the next step (when the thrower knows a better one than the default) what to do about it.
 */
final class ChallengeException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  private String next;

  ChallengeException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  ChallengeException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Sets the step that the closing {@code Next:} line recommends; returns this exception. */
  ChallengeException next(String step) {
    this.next = step;
    return this;
  }

  int exitCode() {
    return exitCode;
  }

  /**
   * Prints the failure as {@code command: message} and the closing {@code Next:} line on {@code
   * err}, and returns the exit code: a usage error points at {@code helpStep} unless the thrower
   * said better.
   */
  int report(PrintWriter err, String command, String helpStep) {
    err.println(command + ": " + getMessage());
    CliSupport.next(err, Optional.ofNullable(next).orElseGet(() -> defaultNext(helpStep)));
    return exitCode;
  }

  private String defaultNext(String helpStep) {
    return switch (exitCode) {
      case CliSupport.USAGE -> helpStep;
      case CliSupport.REJECTED -> "the message above says what is wrong; " + helpStep;
      default -> "fix what the message above names on this machine, then run the command again";
    };
  }
}
