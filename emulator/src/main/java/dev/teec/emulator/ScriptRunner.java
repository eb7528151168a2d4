package dev.teec.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one recipe script with its output (stdout and stderr) appended to a log file. A line
 * {@code @@step NAME} starts the step NAME: it is reported as progress, and named if the script
 * fails. The last lines of the log go into the failure's message.
 */
public final class ScriptRunner {
  /** The prefix of a progress line. */
  public static final String STEP = "@@step ";

  private static final int TAIL_LINES = 15;

  private final Path log;
  private final Consumer<String> progress;

  /**
   * @param log the log file, appended to (its directory is created)
   * @param progress told of each step as it starts
   */
  public ScriptRunner(Path log, Consumer<String> progress) {
    this.log = log;
    this.progress = progress;
  }

  /** The log file. */
  public Path log() {
    return log;
  }

  /**
   * Runs {@code command}, in a new process, to its end.
   *
   * @param firstStep the step's name until the script names one
   * @param environment added to this process's environment
   * @throws StepFailedException naming the step when the command cannot start or exits non-zero
   */
  public void run(String firstStep, List<String> command, Map<String, String> environment)
      throws StepFailedException, InterruptedException {
    String step = firstStep;
    Deque<String> tail = new ArrayDeque<>();
    Process process;
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().putAll(environment);
      process = pb.start();
    } catch (IOException e) {
      throw new StepFailedException(
          step, "cannot run " + command.get(0) + ": " + e.getMessage(), log);
    }
    progress.accept(step);
    try (Writer w =
            Files.newBufferedWriter(
                log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        BufferedReader r =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      w.write("$ " + String.join(" ", command) + "\n");
      for (String line; (line = r.readLine()) != null; ) {
        w.write(line);
        w.write('\n');
        w.flush(); // the log is where to look while a long step runs
        if (line.startsWith(STEP)) {
          step = line.substring(STEP.length()).strip();
          progress.accept(step);
          continue;
        }
        tail.addLast(line);
        if (tail.size() > TAIL_LINES) {
          tail.removeFirst();
        }
      }
    } catch (IOException e) {
      process.destroyForcibly();
      throw new StepFailedException(step, "cannot record its output: " + e.getMessage(), log);
    } finally {
      if (Thread.currentThread().isInterrupted()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
    int exit = process.waitFor();
    if (exit != 0) {
      throw new StepFailedException(
          step, "exit code " + exit + "; last lines:\n  " + String.join("\n  ", tail), log);
    }
  }
}
