package dev.teec.enclave.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Worker-side settings of the {@link BuildRunner}; build.json cannot change them.
 *
 * @param buildRoot absolute directory holding the build area; the source is built in {@code
 *     <buildRoot>/src}, the same path on every run so compilers that embed paths produce identical
 *     output
 * @param path the PATH given to the build
 * @param maxTimeout upper bound on build.json's timeout
 * @param maxLogBytes build output kept (and streamed) before truncation
 * @param maxOutputFileBytes largest single output file
 * @param maxOutputTotalBytes largest sum of output file sizes
 * @param maxOutputFiles most output files after glob expansion
 * @param isolation network isolation mode
 * @param hostToolchains for a local build with the host's toolchains: their variables, and that the
 *     report records each toolchain command's path and version (SPEC W2); empty in an enclave
 */
public record RunnerConfig(
    Path buildRoot,
    String path,
    Duration maxTimeout,
    long maxLogBytes,
    long maxOutputFileBytes,
    long maxOutputTotalBytes,
    int maxOutputFiles,
    IsolationMode isolation,
    Optional<HostToolchains> hostToolchains) {
  public static final Path DEFAULT_BUILD_ROOT = Path.of("/tmp/teec-build");
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public RunnerConfig {
    Objects.requireNonNull(buildRoot, "buildRoot");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(maxTimeout, "maxTimeout");
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(hostToolchains, "hostToolchains");
    if (!buildRoot.isAbsolute()) {
      throw new IllegalArgumentException("buildRoot must be absolute: " + buildRoot);
    }
    buildRoot = buildRoot.normalize();
    if (buildRoot.getParent() == null) {
      throw new IllegalArgumentException("buildRoot must not be the filesystem root");
    }
    if (path.isEmpty() || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("path must be a non-empty PATH value without NUL");
    }
    if (maxTimeout.isNegative() || maxTimeout.isZero()) {
      throw new IllegalArgumentException("maxTimeout must be positive");
    }
    if (maxLogBytes < 1
        || maxOutputFileBytes < 1
        || maxOutputTotalBytes < 1
        || maxOutputFiles < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /**
   * Root {@code /tmp/teec-build}, {@link #DEFAULT_PATH}, 4 h timeout cap, 16 MiB of log, 1 GiB per
   * output file, 4 GiB of outputs in total, 1000 output files, no isolation, no host toolchains.
   */
  public static RunnerConfig defaults() {
    return new RunnerConfig(
        DEFAULT_BUILD_ROOT,
        DEFAULT_PATH,
        Duration.ofHours(4),
        16L << 20,
        1L << 30,
        4L << 30,
        1000,
        IsolationMode.NONE,
        Optional.empty());
  }

  public RunnerConfig withBuildRoot(Path root) {
    return new RunnerConfig(
        root,
        path,
        maxTimeout,
        maxLogBytes,
        maxOutputFileBytes,
        maxOutputTotalBytes,
        maxOutputFiles,
        isolation,
        hostToolchains);
  }

  public RunnerConfig withPath(String value) {
    return new RunnerConfig(
        buildRoot,
        value,
        maxTimeout,
        maxLogBytes,
        maxOutputFileBytes,
        maxOutputTotalBytes,
        maxOutputFiles,
        isolation,
        hostToolchains);
  }

  public RunnerConfig withMaxTimeout(Duration value) {
    return new RunnerConfig(
        buildRoot,
        path,
        value,
        maxLogBytes,
        maxOutputFileBytes,
        maxOutputTotalBytes,
        maxOutputFiles,
        isolation,
        hostToolchains);
  }

  public RunnerConfig withMaxLogBytes(long value) {
    return new RunnerConfig(
        buildRoot,
        path,
        maxTimeout,
        value,
        maxOutputFileBytes,
        maxOutputTotalBytes,
        maxOutputFiles,
        isolation,
        hostToolchains);
  }

  public RunnerConfig withOutputLimits(long perFile, long total, int files) {
    return new RunnerConfig(
        buildRoot, path, maxTimeout, maxLogBytes, perFile, total, files, isolation, hostToolchains);
  }

  public RunnerConfig withIsolation(IsolationMode value) {
    return new RunnerConfig(
        buildRoot,
        path,
        maxTimeout,
        maxLogBytes,
        maxOutputFileBytes,
        maxOutputTotalBytes,
        maxOutputFiles,
        value,
        hostToolchains);
  }

  public RunnerConfig withHostToolchains(HostToolchains value) {
    return new RunnerConfig(
        buildRoot,
        path,
        maxTimeout,
        maxLogBytes,
        maxOutputFileBytes,
        maxOutputTotalBytes,
        maxOutputFiles,
        isolation,
        Optional.of(value));
  }
}
