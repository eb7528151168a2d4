package dev.teec.builder.launch;

import dev.teec.enclave.runner.HostToolchains;
import dev.teec.enclave.runner.RunnerConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How to start a local worker process.
 *
 * @param javaBinary the {@code java} to run it with (normally this JVM's own)
 * @param classPath a class path holding the worker (normally this JVM's own: the shaded CLI jar
 *     carries the worker classes)
 * @param jvmOptions options for the worker's JVM (normally this JVM's class-data sharing options,
 *     {@link #sharingOptions}: the same archive serves the same class path)
 * @param teecHome the TEEC_HOME whose simulated NSM attests (and whose root the client trusts)
 * @param buildRoot the worker's build root; the same path on every run, so compilers that embed
 *     paths produce the same output
 * @param path the PATH the build gets
 * @param toolchainEnvironment the variables the host's toolchains need ({@code --toolchain-env};
 *     names from {@link HostToolchains#VARIABLES}); the worker runs the host's toolchains and
 *     records them in any case ({@code --host-toolchains}, SPEC W2)
 * @param isolation the worker's {@code --isolation}: {@code auto}, {@code none} or {@code netns}
 * @param startTimeout how long the worker may take to start listening
 */
public record LocalWorkerSettings(
    Path javaBinary,
    String classPath,
    List<String> jvmOptions,
    Path teecHome,
    Path buildRoot,
    String path,
    SortedMap<String, String> toolchainEnvironment,
    String isolation,
    Duration startTimeout) {

  /** Checks the fields. */
  public LocalWorkerSettings {
    Objects.requireNonNull(javaBinary, "javaBinary");
    Objects.requireNonNull(classPath, "classPath");
    jvmOptions = List.copyOf(jvmOptions);
    Objects.requireNonNull(teecHome, "teecHome");
    Objects.requireNonNull(buildRoot, "buildRoot");
    Objects.requireNonNull(path, "path");
    // Checked here, not first by the worker: a bad name is the caller's mistake.
    toolchainEnvironment = new HostToolchains(toolchainEnvironment).environment();
    Objects.requireNonNull(startTimeout, "startTimeout");
    if (!List.of("auto", "none", "netns").contains(isolation)) {
      throw new IllegalArgumentException("isolation must be auto, none or netns, got " + isolation);
    }
    if (classPath.isEmpty()) {
      throw new IllegalArgumentException("classPath is empty");
    }
  }

  /**
   * This JVM's java binary, class path and class-data sharing options, {@link
   * RunnerConfig#DEFAULT_BUILD_ROOT}, {@link RunnerConfig#DEFAULT_PATH}, no toolchain variables,
   * isolation {@code auto}, 60 s to start.
   */
  public static LocalWorkerSettings ofThisJvm(Path teecHome) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new LocalWorkerSettings(
        Files.isExecutable(java) ? java : Path.of("java"),
        System.getProperty("java.class.path"),
        sharingOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()),
        teecHome,
        RunnerConfig.DEFAULT_BUILD_ROOT,
        RunnerConfig.DEFAULT_PATH,
        new TreeMap<>(),
        "auto",
        Duration.ofSeconds(60));
  }

  /** These settings with another build root. */
  public LocalWorkerSettings withBuildRoot(Path root) {
    return new LocalWorkerSettings(
        javaBinary,
        classPath,
        jvmOptions,
        teecHome,
        root,
        path,
        toolchainEnvironment,
        isolation,
        startTimeout);
  }

  /** These settings with another PATH for the build. */
  public LocalWorkerSettings withPath(String value) {
    return new LocalWorkerSettings(
        javaBinary,
        classPath,
        jvmOptions,
        teecHome,
        buildRoot,
        value,
        toolchainEnvironment,
        isolation,
        startTimeout);
  }

  /** These settings with another isolation mode. */
  public LocalWorkerSettings withIsolation(String value) {
    return new LocalWorkerSettings(
        javaBinary,
        classPath,
        jvmOptions,
        teecHome,
        buildRoot,
        path,
        toolchainEnvironment,
        value,
        startTimeout);
  }

  /** These settings with other toolchain variables for the build. */
  public LocalWorkerSettings withToolchainEnvironment(Map<String, String> value) {
    return new LocalWorkerSettings(
        javaBinary,
        classPath,
        jvmOptions,
        teecHome,
        buildRoot,
        path,
        new TreeMap<>(value),
        isolation,
        startTimeout);
  }

  /**
   * The class-data sharing options among a JVM's {@code arguments}: the archive the launcher
   * (bin/teec-launcher.sh) mapped, and how to treat it. A worker started on the same class path
   * maps the same archive, which holds the worker's classes too, and starts in a fraction of the
   * time (issue 13). Nothing else is passed on: the worker is a JVM of its own.
   */
  static List<String> sharingOptions(List<String> arguments) {
    return arguments.stream()
        .filter(
            a ->
                a.startsWith("-XX:SharedArchiveFile=")
                    || a.startsWith("-Xshare:")
                    || a.startsWith("-Xlog:cds"))
        .toList();
  }
}
