package dev.teec.formats.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The build platform's own settings for this build (SLSA {@code internalParameters}).
 *
 * @param buildDir the canonical absolute directory the build ran in
 * @param environment every environment variable the build process started with, name to value
 * @param isolation whether network isolation was enforced, and why
 * @param tools the host's toolchain commands a local build found, sorted by name; empty when the
 *     worker does not record them (in an enclave the image fixes the toolchain)
 * @param enclave the NSM device and parent CID of a worker inside an enclave; empty otherwise
 */
public record InternalParameters(
    String buildDir,
    Map<String, String> environment,
    Isolation isolation,
    Optional<List<ResolvedTool>> tools,
    Optional<EnclaveRuntime> enclave) {
  /** Validates and copies; the map and the list become immutable, the tools sorted by name. */
  public InternalParameters {
    Checks.text(buildDir, 4096, "build directory");
    if (!buildDir.startsWith("/")) {
      throw new IllegalArgumentException(
          "build directory must be absolute, got \"" + buildDir + "\"");
    }
    Objects.requireNonNull(environment, "environment");
    environment.forEach(
        (name, value) -> {
          Checks.text(name, 1024, "environment variable name");
          if (name.indexOf('=') >= 0) {
            throw new IllegalArgumentException(
                "environment variable name \"" + name + "\" contains '='");
          }
          Objects.requireNonNull(value, "value of environment variable " + name);
        });
    environment = Map.copyOf(environment);
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(tools, "tools");
    tools = tools.map(InternalParameters::sortedUnique);
    Objects.requireNonNull(enclave, "enclave");
  }

  /** Parameters with neither recorded tools nor an enclave runtime. */
  public InternalParameters(String buildDir, Map<String, String> environment, Isolation isolation) {
    this(buildDir, environment, isolation, Optional.empty(), Optional.empty());
  }

  private static List<ResolvedTool> sortedUnique(List<ResolvedTool> tools) {
    List<ResolvedTool> sorted = new ArrayList<>(tools);
    sorted.forEach(t -> Objects.requireNonNull(t, "tool"));
    sorted.sort(Comparator.comparing(ResolvedTool::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException("tool " + sorted.get(i).name() + " is listed twice");
      }
    }
    return List.copyOf(sorted);
  }

  /** These parameters with the enclave's NSM device and parent CID. */
  public InternalParameters withEnclave(EnclaveRuntime runtime) {
    return new InternalParameters(
        buildDir,
        environment,
        isolation,
        tools,
        Optional.of(Objects.requireNonNull(runtime, "runtime")));
  }
}
