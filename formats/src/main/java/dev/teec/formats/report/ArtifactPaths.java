package dev.teec.formats.report;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The rules for an output's name, which is both its report subject name and its bundle path below
 * {@code artifacts/} (SPEC W3, W6): a relative path of '/'-separated components, none empty, {@code
 * .} or {@code ..}; no backslash, NUL or other control character; at most {@value #MAX_BYTES} UTF-8
 * bytes in all and {@value #MAX_COMPONENT_BYTES} per component; no lone surrogate.
 */
public final class ArtifactPaths {
  /** Longest accepted path in UTF-8 bytes (Linux PATH_MAX). */
  public static final int MAX_BYTES = 4096;

  /** Longest accepted component in UTF-8 bytes (Linux NAME_MAX). */
  public static final int MAX_COMPONENT_BYTES = 255;

  private ArtifactPaths() {}

  /**
   * Returns {@code path} unchanged if it satisfies the rules above.
   *
   * @throws IllegalArgumentException naming the rule it breaks
   */
  public static String check(String path) {
    Objects.requireNonNull(path, "artifact path");
    String problem = problem(path);
    if (problem != null) {
      throw new IllegalArgumentException(
          "artifact path \"" + Checks.abbreviate(path) + "\" " + problem);
    }
    return path;
  }

  /** The rule {@code path} breaks, or null when it is a valid artifact path. */
  public static String problem(String path) {
    if (path.isEmpty()) {
      return "is empty";
    }
    if (path.startsWith("/")) {
      return "is absolute";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "contains control character U+" + String.format("%04X", (int) c);
      }
      if (c == '\\') {
        return "contains a backslash";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= path.length() || !Character.isLowSurrogate(path.charAt(i + 1))) {
          return "contains a lone surrogate";
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return "contains a lone surrogate";
      }
    }
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "is longer than " + MAX_BYTES + " UTF-8 bytes";
    }
    for (String component : path.split("/", -1)) {
      if (component.isEmpty()) {
        return "has an empty component (leading, trailing or doubled '/')";
      }
      if (component.equals(".") || component.equals("..")) {
        return "has a '" + component + "' component";
      }
      if (component.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
        return "has a component longer than " + MAX_COMPONENT_BYTES + " UTF-8 bytes";
      }
    }
    return null;
  }
}
