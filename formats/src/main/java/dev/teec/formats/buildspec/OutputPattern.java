package dev.teec.formats.buildspec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of build.json's {@code output.files}: a relative path, possibly with globs, matched
 * against '/'-separated paths relative to the source root.
 *
 * <p>Glob rules: {@code *} matches any run of characters within one path segment (including a
 * leading dot), {@code ?} matches exactly one character within a segment, and a segment that is
 * exactly {@code **} matches zero or more whole segments. There are no character classes, braces or
 * escapes. Matching is case-sensitive and does not normalise Unicode.
 */
public final class OutputPattern {
  private final String pattern;
  private final List<String> segments;
  // null for "**", otherwise the compiled segment glob
  private final List<Pattern> compiled;

  private OutputPattern(String pattern) {
    this.pattern = pattern;
    this.segments = RelativePath.segments(pattern);
    List<Pattern> c = new ArrayList<>(segments.size());
    for (String s : segments) {
      c.add(s.equals("**") ? null : Pattern.compile(segmentRegex(s), Pattern.DOTALL));
    }
    this.compiled = c;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException naming the problem if the pattern is not a valid relative path
   *     pattern (absolute, {@code ..}, {@code .}, empty segments, backslashes, control characters,
   *     brackets or braces, {@code **} inside a segment, trailing '/')
   */
  public static OutputPattern compile(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    String problem = RelativePath.problem(pattern, true);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new OutputPattern(pattern);
  }

  /** The pattern as written in build.json. */
  public String pattern() {
    return pattern;
  }

  /** True when the pattern has no glob characters and so names exactly one path. */
  public boolean isLiteral() {
    return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
  }

  /**
   * The longest leading run of glob-free segments that are directories of every match ("" when the
   * first segment has a glob). A search only needs to look below this directory.
   */
  public String baseDirectory() {
    int n = 0;
    while (n < segments.size() - 1 && isPlain(segments.get(n))) {
      n++;
    }
    return String.join("/", segments.subList(0, n));
  }

  /** Whether a '/'-separated relative path (no leading or trailing '/') matches the pattern. */
  public boolean matches(String relativePath) {
    Objects.requireNonNull(relativePath, "relativePath");
    String[] path = relativePath.split("/", -1);
    int p = segments.size();
    // can[i][j]: pattern segments i.. match path segments j..
    boolean[][] can = new boolean[p + 1][path.length + 1];
    can[p][path.length] = true;
    for (int i = p - 1; i >= 0; i--) {
      Pattern glob = compiled.get(i);
      for (int j = path.length; j >= 0; j--) {
        if (glob == null) {
          can[i][j] = can[i + 1][j] || (j < path.length && can[i][j + 1]);
        } else {
          can[i][j] = j < path.length && can[i + 1][j + 1] && glob.matcher(path[j]).matches();
        }
      }
    }
    return can[0][0];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputPattern other && other.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }

  private static boolean isPlain(String segment) {
    return segment.indexOf('*') < 0 && segment.indexOf('?') < 0;
  }

  private static String segmentRegex(String segment) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          re.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        re.append(c == '*' ? "[^/]*" : "[^/]");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
    }
    return re.toString();
  }
}
