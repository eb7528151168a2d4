package dev.teec.builder.launch;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an external command to completion; the seam that lets tests stand in for nitro-cli. */
public interface CommandRunner {

  /**
   * Runs {@code command} with no input and returns its exit status and output.
   *
   * @throws IOException if it cannot be started or does not finish within {@code timeout} (it is
   *     then killed)
   */
  CommandResult run(List<String> command, Duration timeout)
      throws IOException, InterruptedException;

  /**
   * How a command ended.
   *
   * @param exitCode its exit status
   * @param stdout what it wrote to standard output (UTF-8)
   * @param stderr what it wrote to standard error (UTF-8)
   */
  record CommandResult(int exitCode, String stdout, String stderr) {}

  /** Real processes: no input, both outputs read completely, killed at the timeout. */
  CommandRunner PROCESSES =
      (command, timeout) -> {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        CompletableFuture<byte[]> err =
            CompletableFuture.supplyAsync(
                () -> {
                  try (InputStream in = p.getErrorStream()) {
                    return in.readAllBytes();
                  } catch (IOException e) {
                    return new byte[0];
                  }
                });
        byte[] out;
        try (InputStream in = p.getInputStream()) {
          out = in.readAllBytes();
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IOException(
              command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
        }
        return new CommandResult(
            p.exitValue(),
            new String(out, StandardCharsets.UTF_8),
            new String(err.join(), StandardCharsets.UTF_8));
      };
}
