package dev.teec.enclave.runner;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Finding and asking commands installed on a host, as a local build's shell will find them: shared
 * by the worker, which records a local build's toolchain (SPEC W2), and the client, which chooses
 * it from the user's PATH (SPEC B4).
 */
public final class HostCommands {
  private static final int MAX_OUTPUT = 64 * 1024;
  private static final int MAX_LINE = 256;
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");

  private HostCommands() {}

  /**
   * The first executable regular file named {@code name} in the absolute directories of {@code
   * path}, as {@code /bin/sh} looks it up (relative entries would depend on the directory the
   * command runs in and are skipped).
   */
  public static Optional<Path> which(String name, String path) {
    for (String dir : path.split(":", -1)) {
      if (!dir.startsWith("/")) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.normalize());
      }
    }
    return Optional.empty();
  }

  /**
   * The rustup binary when {@code path} is one of its proxies ({@code cargo}, {@code rustc}, ...):
   * a link to {@code rustup}, or a hard link to the {@code rustup} beside it (how older rustup
   * versions installed them).
   */
  public static Optional<Path> rustupBehind(Path path) {
    try {
      Path real = path.toRealPath();
      if (real.getFileName().toString().startsWith("rustup")) {
        return Optional.of(real);
      }
      Path sibling = path.resolveSibling("rustup");
      if (Files.isExecutable(sibling) && Files.isSameFile(sibling, path)) {
        return Optional.of(sibling);
      }
    } catch (IOException e) {
      // not a proxy we can recognise
    }
    return Optional.empty();
  }

  /**
   * Runs {@code command} with exactly {@code environment} in {@code directory}, no input, and
   * returns what it wrote (stdout and stderr together, at most 64 KiB) when it exits with status 0
   * within {@code timeout}; otherwise (it failed, could not start, or hung and was killed) empty.
   */
  public static Optional<String> output(
      List<String> command, Map<String, String> environment, Path directory, Duration timeout)
      throws InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(environment);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return Optional.empty();
    }
    byte[][] output = new byte[1][];
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = process.getInputStream()) {
                output[0] = in.readNBytes(MAX_OUTPUT);
                in.transferTo(OutputStream.nullOutputStream());
              } catch (IOException e) {
                // the process is gone; what was read is kept
              }
            },
            "teec-host-command");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return Optional.empty();
      }
      reader.join(TimeUnit.SECONDS.toMillis(2));
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    if (process.exitValue() != 0 || output[0] == null) {
      return Optional.empty();
    }
    return Optional.of(new String(output[0], StandardCharsets.UTF_8));
  }

  /**
   * The first line of a command's output that says something: colour codes removed, JVM notices
   * ({@code Picked up JAVA_TOOL_OPTIONS: ...}) and blank lines skipped, control characters dropped,
   * cut at 256 characters.
   */
  public static Optional<String> firstLine(Optional<String> output) {
    if (output.isEmpty()) {
      return Optional.empty();
    }
    for (String line : ANSI.matcher(output.get()).replaceAll("").split("\n")) {
      String clean = line.replaceAll("\\p{Cntrl}", "").strip();
      if (clean.isEmpty() || clean.startsWith("Picked up ")) {
        continue;
      }
      return Optional.of(
          clean.length() <= MAX_LINE ? clean : clean.substring(0, MAX_LINE - 3) + "...");
    }
    return Optional.empty();
  }
}
