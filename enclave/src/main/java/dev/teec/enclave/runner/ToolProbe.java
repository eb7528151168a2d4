package dev.teec.enclave.runner;

import dev.teec.formats.report.ResolvedTool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a local build's toolchain commands as its shell will (SPEC W2, "Host toolchains"): the
 * first executable regular file of that name in the build's PATH, which file actually runs, and the
 * version it reports when run with the build's own environment in the build's working directory.
 */
final class ToolProbe {
  /** Longest a version query may take; a toolchain that hangs here would hang the build too. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, String> environment;
  private final Path workdir;
  private final List<String> wrapper;

  /**
   * @param environment the build's environment; its PATH is where commands are looked up
   * @param workdir where the build starts (rust-toolchain.toml, go.mod and the like apply there)
   * @param wrapper what the queries run under, e.g. {@code unshare --net ... --} so that they get
   *     no more network than the build; empty to run them directly
   */
  ToolProbe(Map<String, String> environment, Path workdir, List<String> wrapper) {
    this.environment = Map.copyOf(environment);
    this.workdir = workdir;
    this.wrapper = List.copyOf(wrapper);
  }

  /** The commands of {@code names} that the PATH finds, in the order given. */
  List<ResolvedTool> probe(List<String> names) throws InterruptedException {
    List<ResolvedTool> tools = new ArrayList<>();
    for (String name : names) {
      Optional<Path> found = HostCommands.which(name, environment.getOrDefault("PATH", ""));
      if (found.isPresent()) {
        tools.add(resolve(name, found.get()));
      }
    }
    return tools;
  }

  private ResolvedTool resolve(String name, Path path) throws InterruptedException {
    Path resolved;
    try {
      resolved = path.toRealPath();
    } catch (IOException e) {
      resolved = path;
    }
    Optional<Path> rustup = HostCommands.rustupBehind(path);
    if (rustup.isPresent()) {
      // The proxy picks the toolchain (RUSTUP_TOOLCHAIN, rust-toolchain.toml, the default); ask it
      // which binary that is, with the build's environment in the build's directory.
      resolved =
          ask(List.of(rustup.get().toString(), "which", name))
              .filter(p -> p.startsWith("/"))
              .map(Path::of)
              .orElse(resolved);
    }
    String version = ask(versionCommand(name, path)).orElse(null);
    return new ResolvedTool(name, path.toString(), resolved.toString(), version);
  }

  private Optional<String> ask(List<String> command) throws InterruptedException {
    List<String> argv = new ArrayList<>(wrapper);
    argv.addAll(command);
    return HostCommands.firstLine(HostCommands.output(argv, environment, workdir, TIMEOUT));
  }

  private static List<String> versionCommand(String name, Path path) {
    return switch (name) {
      case "go" -> List.of(path.toString(), "version");
      case "java" -> List.of(path.toString(), "-version");
      default -> List.of(path.toString(), "--version");
    };
  }
}
