package dev.teec.cli.challenge;

/**
 * A challenge command cannot go on: the message says why, the exit code what kind of failure it is.
 */
final class ChallengeException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  ChallengeException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  ChallengeException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
