package dev.teec.formats.report;

import java.util.Map;
import java.util.Objects;

/**
 * The build platform's own settings for this build (SLSA {@code internalParameters}).
 *
 * @param buildDir the canonical absolute directory the build ran in
 * @param environment every environment variable the build process started with, name to value
 * @param isolation whether network isolation was enforced, and why
 */
public record InternalParameters(
    String buildDir, Map<String, String> environment, Isolation isolation) {
  /** Validates and copies; the map becomes immutable. */
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
  }
}
