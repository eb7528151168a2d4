package dev.teec.enclave.runner;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A local build's use of the host's own toolchains (SPEC W2, B4): the variables those toolchains
 * need to run for the build as they run for the user, and the request to record each toolchain
 * command's path and version in the report. Never part of an enclave's configuration: an enclave
 * image fixes its toolchain.
 *
 * <p>Only the variables in {@link #VARIABLES} may be given; they say where a toolchain is installed
 * and which one to use, never where downloads are cached (a user's cargo, Go or Maven cache would
 * let dependencies reach the build without going through the recording proxy). build.json's {@code
 * input.env} may override them: what it says is part of the build's definition.
 *
 * @param environment toolchain variables, name to value
 */
public record HostToolchains(SortedMap<String, String> environment) {
  /**
   * The variables a host toolchain may need: rustup's installation and toolchain choice, the Go
   * installation, the JDK.
   */
  public static final Set<String> VARIABLES =
      Set.of("RUSTUP_HOME", "RUSTUP_TOOLCHAIN", "GOROOT", "JAVA_HOME");

  /** Checks the names and values; the map becomes an immutable sorted copy. */
  public HostToolchains {
    Objects.requireNonNull(environment, "environment");
    SortedMap<String, String> copy = new TreeMap<>();
    environment.forEach(
        (name, value) -> {
          if (!VARIABLES.contains(name)) {
            throw new IllegalArgumentException(
                name + " is not a toolchain variable; allowed are " + new TreeSet<>(VARIABLES));
          }
          Objects.requireNonNull(value, "value of " + name);
          if (value.isEmpty() || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                "value of " + name + " must be non-empty and without NUL");
          }
          copy.put(name, value);
        });
    environment = Collections.unmodifiableSortedMap(copy);
  }

  /** Host toolchains that need no variables. */
  public static HostToolchains withoutVariables() {
    return new HostToolchains(new TreeMap<>());
  }

  /**
   * The toolchain variables of an environment a report recorded, so that a rebuild runs the same
   * toolchains; variables build.json set are left to build.json.
   *
   * @param recorded the report's {@code internalParameters.environment}
   * @param fromBuildJson the names build.json's {@code input.env} sets
   */
  public static HostToolchains ofRecorded(Map<String, String> recorded, Set<String> fromBuildJson) {
    SortedMap<String, String> env = new TreeMap<>();
    recorded.forEach(
        (name, value) -> {
          if (VARIABLES.contains(name) && !fromBuildJson.contains(name) && !value.isEmpty()) {
            env.put(name, value);
          }
        });
    return new HostToolchains(env);
  }
}
