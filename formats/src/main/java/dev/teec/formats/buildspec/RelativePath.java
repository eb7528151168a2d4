package dev.teec.formats.buildspec;

import java.util.List;

/** Syntax of the relative paths build.json uses (output patterns and the working directory). */
final class RelativePath {
  static final int MAX_LENGTH = 1024;

  private RelativePath() {}

  /**
   * Checks a '/'-separated relative path and returns its segments.
   *
   * @param globs whether {@code *}, {@code ?} and whole-segment {@code **} are allowed
   * @return the problem, or null when the path is acceptable
   */
  static String problem(String path, boolean globs) {
    if (path.isEmpty()) {
      return "must not be empty";
    }
    if (path.length() > MAX_LENGTH) {
      return "is longer than " + MAX_LENGTH + " characters";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "contains a control character at index " + i;
      }
      if (c == '\\') {
        return "contains a backslash; use '/' as the separator";
      }
      if (c == '[' || c == ']' || c == '{' || c == '}') {
        return "contains '"
            + c
            + "'; "
            + (globs ? "only *, ** and ? are glob characters" : "not allowed here");
      }
      if (!globs && (c == '*' || c == '?')) {
        return "contains '" + c + "'; globs are not allowed here";
      }
    }
    if (path.startsWith("/")) {
      return "must be relative to the source root (starts with '/')";
    }
    if (path.endsWith("/")) {
      return "must not end with '/'";
    }
    for (String segment : segments(path)) {
      if (segment.isEmpty()) {
        return "contains an empty segment ('//')";
      }
      if (segment.equals("..")) {
        return "contains a '..' segment";
      }
      if (segment.equals(".")) {
        return "contains a '.' segment; write the path without it";
      }
      if (globs && segment.contains("**") && !segment.equals("**")) {
        return "uses '**' inside a segment ('" + segment + "'); '**' must be a whole segment";
      }
    }
    return null;
  }

  static List<String> segments(String path) {
    return List.of(path.split("/", -1));
  }
}
