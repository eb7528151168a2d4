package dev.teec.verifier.bundle;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The source a bundle must record: repository URI and git commit, as given by {@code
 * --expect-source URI@COMMIT}.
 *
 * @param uri the repository URI, compared exactly
 * @param commit the git commit id, 40 or 64 lowercase hex digits
 */
public record SourceExpectation(String uri, String commit) {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  /** Validates both components. */
  public SourceExpectation {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(commit, "commit");
    if (uri.isEmpty()) {
      throw new IllegalArgumentException("the source URI is empty");
    }
    if (!COMMIT.matcher(commit).matches()) {
      throw new IllegalArgumentException(
          "\"" + commit + "\" is not a git commit id (40 or 64 lowercase hex digits)");
    }
  }

  /**
   * Parses {@code URI@COMMIT}; the last {@code @} separates them, since URIs such as {@code
   * git+ssh://git@host/repo} contain one. Hex digits are lowercased.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static SourceExpectation parse(String text) {
    int at = text.lastIndexOf('@');
    if (at <= 0 || at == text.length() - 1) {
      throw new IllegalArgumentException("expected URI@COMMIT, got \"" + text + "\"");
    }
    return new SourceExpectation(
        text.substring(0, at), text.substring(at + 1).toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return uri + "@" + commit;
  }
}
