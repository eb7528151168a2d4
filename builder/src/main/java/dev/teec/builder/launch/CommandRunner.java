package dev.teec.builder.launch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs an external command to completion; the seam that lets tests stand in for nitro-cli. */
public interface CommandRunner {

  /**
   * Runs {@code command} with no input and returns its exit status and output.
   *
   * @throws IOException if it cannot be started or does not finish within {@code timeout} (it is
   *     then killed)
   */
  CommandResult run(List<String> command, Duration timeout) throws IOException, InterruptedException;

  /**
   * How a command ended.
   *
   * @param exitCode its exit status
   * @param stdout what it wrote to standard output (UTF-8)
   * @param stderr what it wrote to standard error (UTF-8)
   */
  record CommandResult(int exitCode, String stdout, String stderr) {}

  /** Real processes. */
  CommandRunner PROCESSES = (command, timeout) -> {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try (var in = p.getErrorStream()) {
        return in.readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
    byte[] out;
    try (var in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
    }
    return new CommandResult(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8),
        new String(err.join(), java.nio.charset.StandardCharsets.UTF_8));
  };
}
