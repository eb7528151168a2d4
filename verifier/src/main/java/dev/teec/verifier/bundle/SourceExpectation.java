package dev.teec.verifier.bundle;

import dev.teec.formats.report.ArtifactPaths;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source a bundle must record: repository URI, git commit and directory, as given by {@code
 * --expect-source URI@COMMIT[:DIR]}. Only a commit the worker verified matches (SPEC C2).
 *
 * @param uri the repository URI, compared exactly
 * @param commit the git commit id, 40 or 64 lowercase hex digits
 * @param path the directory of the commit that was built, {@code ""} for the repository's top
 */
public record SourceExpectation(String uri, String commit, String path) {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern FORM =
      Pattern.compile("(.+)@([0-9a-fA-F]{40}|[0-9a-fA-F]{64})(?::(.+))?", Pattern.DOTALL);

  /** Validates every component. */
  public SourceExpectation {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(path, "path");
    if (uri.isEmpty()) {
      throw new IllegalArgumentException("the source URI is empty");
    }
    if (!COMMIT.matcher(commit).matches()) {
      throw new IllegalArgumentException(
          "\"" + commit + "\" is not a git commit id (40 or 64 lowercase hex digits)");
    }
    if (!path.isEmpty() && ArtifactPaths.problem(path) != null) {
      throw new IllegalArgumentException(
          "the directory \"" + path + "\" " + ArtifactPaths.problem(path));
    }
  }

  /** The repository's top directory at {@code commit}. */
  public SourceExpectation(String uri, String commit) {
    this(uri, commit, "");
  }

  /**
   * Parses {@code URI@COMMIT} or {@code URI@COMMIT:DIR}; the last {@code @} followed by a commit id
   * separates them, since URIs such as {@code git+ssh://git@host/repo} contain one. Hex digits are
   * lowercased.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static SourceExpectation parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected URI@COMMIT or URI@COMMIT:DIR with a 40- or 64-digit commit id, got \""
              + text
              + "\"");
    }
    return new SourceExpectation(
        m.group(1), m.group(2).toLowerCase(Locale.ROOT), m.group(3) == null ? "" : m.group(3));
  }

  @Override
  public String toString() {
    return uri + "@" + commit + (path.isEmpty() ? "" : ":" + path);
  }
}
