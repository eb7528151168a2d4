package dev.teec.builder.toolchain;

import dev.teec.enclave.runner.HostCommands;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.formats.buildspec.Language;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Chooses a local build's toolchain from the user's machine the way the user's shell would (SPEC
 * B4): each command of the build's language is looked up in the user's PATH; the build's PATH holds
 * the directories where they were found and the system directories, in the order of the user's
 * PATH; and the variables those toolchains need to run for the build as they run for the user are
 * taken from the user's environment: rustup's home and toolchain for rustup's proxies, GOROOT for
 * Go, JAVA_HOME for Maven. Nothing else of the user's environment reaches the build.
 *
 * <p>Version managers that put shims on the PATH (asdf, mise) choose the version from files in the
 * user's HOME, which the build does not see: a shim is replaced by the file its manager says it
 * runs for the project ({@code asdf which NAME}, {@code mise which NAME}).
 */
public final class ToolchainResolver {
  /** Longest a version manager may take to say which file a shim runs. */
  static final Duration MANAGER_TIMEOUT = Duration.ofSeconds(20);

  private static final List<String> SHIM_MANAGERS = List.of("asdf", "mise");

  private final Map<String, String> userEnvironment;

  /**
   * @param userEnvironment the user's environment: where PATH, HOME and the toolchain variables are
   *     read
   */
  public ToolchainResolver(Map<String, String> userEnvironment) {
    this.userEnvironment = Map.copyOf(userEnvironment);
  }

  /**
   * The toolchain for building {@code language} in {@code project}.
   *
   * @param explicitPath {@code --local-path}: where to look the commands up instead of the user's
   *     PATH, and then exactly the PATH the build gets
   */
  public LocalToolchain resolve(Language language, Path project, Optional<String> explicitPath)
      throws InterruptedException {
    String searchPath =
        explicitPath.orElse(userEnvironment.getOrDefault("PATH", RunnerConfig.DEFAULT_PATH));
    List<String> notes = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    // directory on the search PATH -> the directory the build gets instead (a shim's real one)
    Map<String, String> needed = new TreeMap<>();
    SortedMap<String, String> variables = new TreeMap<>();
    for (String tool : language.tools()) {
      Optional<Path> found = HostCommands.which(tool, searchPath);
      if (found.isEmpty()) {
        missing.add(tool);
        continue;
      }
      Path file = found.get();
      Path dir = file.getParent();
      if (explicitPath.isEmpty() && isShim(file)) {
        Optional<Path> real = unshim(tool, project, searchPath);
        if (real.isPresent()) {
          notes.add(tool + ": the shim " + file + " runs " + real.get() + " for this project");
          file = real.get();
        } else {
          notes.add(
              tool
                  + ": "
                  + file
                  + " is a version manager's shim and no manager (asdf, mise) said which file it"
                  + " runs; the build may not find the version you use");
        }
      }
      needed.putIfAbsent(dir.toString(), file.getParent().toString());
      HostCommands.rustupBehind(file).ifPresent(r -> rustup(variables, notes));
    }
    if (language == Language.GO) {
      directory("GOROOT").ifPresent(v -> variables.put("GOROOT", v));
    }
    if (language == Language.MAVEN) {
      directory("JAVA_HOME").ifPresent(v -> variables.put("JAVA_HOME", v));
    }
    String path = explicitPath.orElseGet(() -> buildPath(searchPath, needed));
    return new LocalToolchain(path, variables, notes, missing);
  }

  /**
   * The user's PATH entries that hold a needed command (replaced by the shim's real directory where
   * there is one) or are system directories, in the user's order, then the system directories the
   * user's PATH lacks.
   */
  private static String buildPath(String searchPath, Map<String, String> needed) {
    List<String> system = List.of(RunnerConfig.DEFAULT_PATH.split(":"));
    Set<String> entries = new LinkedHashSet<>();
    for (String entry : searchPath.split(":", -1)) {
      String dir =
          entry.endsWith("/") && entry.length() > 1
              ? entry.substring(0, entry.length() - 1)
              : entry;
      if (needed.containsKey(dir)) {
        entries.add(needed.get(dir));
      } else if (system.contains(dir)) {
        entries.add(dir);
      }
    }
    entries.addAll(system);
    return String.join(":", entries);
  }

  /** rustup's proxies find settings and toolchains in RUSTUP_HOME, by default in HOME/.rustup. */
  private void rustup(SortedMap<String, String> variables, List<String> notes) {
    if (variables.containsKey("RUSTUP_HOME")) {
      return;
    }
    String home =
        Optional.ofNullable(userEnvironment.get("RUSTUP_HOME"))
            .filter(v -> v.startsWith("/"))
            .orElseGet(() -> userHome().resolve(".rustup").toString());
    if (!Files.isDirectory(Path.of(home))) {
      notes.add(
          "rustup's proxies are on the PATH but its home "
              + home
              + " is not a directory; set RUSTUP_HOME to where rustup keeps its toolchains");
      return;
    }
    variables.put("RUSTUP_HOME", home);
    Optional.ofNullable(userEnvironment.get("RUSTUP_TOOLCHAIN"))
        .filter(v -> !v.isEmpty())
        .ifPresent(v -> variables.put("RUSTUP_TOOLCHAIN", v));
  }

  private Optional<String> directory(String variable) {
    return Optional.ofNullable(userEnvironment.get(variable))
        .filter(v -> v.startsWith("/") && Files.isDirectory(Path.of(v)));
  }

  private Path userHome() {
    return Path.of(
        Optional.ofNullable(userEnvironment.get("HOME"))
            .filter(h -> h.startsWith("/"))
            .orElse(System.getProperty("user.home")));
  }

  private static boolean isShim(Path file) {
    Path dir = file.getParent();
    return dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("shims");
  }

  /** The file a version manager says its shim runs for {@code tool} in {@code project}. */
  private Optional<Path> unshim(String tool, Path project, String searchPath)
      throws InterruptedException {
    for (String manager : SHIM_MANAGERS) {
      Optional<Path> binary = HostCommands.which(manager, searchPath);
      if (binary.isEmpty()) {
        continue;
      }
      Optional<Path> real =
          HostCommands.firstLine(
                  HostCommands.output(
                      List.of(binary.get().toString(), "which", tool),
                      userEnvironment,
                      project,
                      MANAGER_TIMEOUT))
              .filter(p -> p.startsWith("/"))
              .map(Path::of)
              .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p) && !isShim(p));
      if (real.isPresent()) {
        return real;
      }
    }
    return Optional.empty();
  }

  /**
   * What a local build gets of the user's toolchain.
   *
   * @param path the build's PATH
   * @param environment the toolchain variables (names from {@code HostToolchains.VARIABLES})
   * @param notes what the user should know about the choice (shims resolved, rustup's home missing)
   * @param missing the language's commands that were not found
   */
  public record LocalToolchain(
      String path,
      SortedMap<String, String> environment,
      List<String> notes,
      List<String> missing) {
    /** Copies everything. */
    public LocalToolchain {
      Objects.requireNonNull(path, "path");
      environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
      notes = List.copyOf(notes);
      missing = List.copyOf(missing);
    }
  }
}
