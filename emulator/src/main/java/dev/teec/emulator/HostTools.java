package dev.teec.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The programs a recipe script needs on the host, looked up on PATH before it runs. */
public final class HostTools {
  private HostTools() {}

  /**
   * Fails, naming every missing program and how to install it, unless all of {@code tools} are
   * executables on {@code environment}'s PATH.
   *
   * @param step the step that needs them, for the message
   * @param install what to run to install them (e.g. an apt-get command line)
   */
  public static void require(
      Map<String, String> environment, String step, String install, List<String> tools)
      throws StepFailedException {
    List<String> missing = new ArrayList<>();
    for (String tool : tools) {
      if (find(environment, tool) == null) {
        missing.add(tool);
      }
    }
    if (!missing.isEmpty()) {
      throw new StepFailedException(
          step,
          "missing on this host: "
              + String.join(", ", missing)
              + " (install with: "
              + install
              + ")",
          null);
    }
  }

  /** The executable named {@code tool} on PATH, or null. */
  public static Path find(Map<String, String> environment, String tool) {
    for (String dir : environment.getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, tool);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }
}
