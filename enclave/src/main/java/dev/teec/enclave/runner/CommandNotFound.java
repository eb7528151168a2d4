package dev.teec.enclave.runner;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command a shell could not find, read from the end of a build log that ended with status 127,
 * so that the failure names it instead of leaving the user to read the log.
 */
final class CommandNotFound {
  /** The exit status of a POSIX shell whose command was not found. */
  static final int EXIT_STATUS = 127;

  private static final int TAIL_BYTES = 16 * 1024;

  /**
   * dash ({@code /bin/sh: 1: cargo: not found}), busybox, bash ({@code ...: command not found}).
   */
  private static final Pattern NOT_FOUND =
      Pattern.compile("^[^:]*sh:(?: line)? ?(?:\\d+: )?(\\S+): (?:command )?not found$");

  private CommandNotFound() {}

  /** The last command the log says was not found, if any. */
  static Optional<String> in(BuildLog log) {
    byte[] bytes = log.bytes();
    byte[] tail = Arrays.copyOfRange(bytes, Math.max(0, bytes.length - TAIL_BYTES), bytes.length);
    String[] lines = new String(tail, StandardCharsets.UTF_8).split("\r?\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      Matcher m = NOT_FOUND.matcher(lines[i]);
      if (m.matches()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /**
   * {@code the build command exited with status 127: command not found: cargo (looked up in
   * PATH=...)}, or without the name when the log does not say which.
   */
  static String failure(BuildLog log, String path) {
    return "the build command exited with status "
        + EXIT_STATUS
        + ": "
        + in(log).map(c -> "command not found: " + c).orElse("a command was not found")
        + " (looked up in PATH="
        + path
        + ")";
  }
}
