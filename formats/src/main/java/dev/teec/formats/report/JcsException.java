package dev.teec.formats.report;

import java.util.Objects;

/**
 * A JSON value that has no RFC 8785 canonical form in teec's profile (a non-integral or unsafe
 * number, a lone surrogate, a non-JSON node, nesting too deep); {@link #path()} says where.
 */
public final class JcsException extends IllegalArgumentException {
  private final String path;
  private final String reason;

  JcsException(String path, String reason) {
    super(path + ": " + reason);
    this.path = Objects.requireNonNull(path, "path");
    this.reason = reason;
  }

  /** What is wrong, without the path. */
  public String reason() {
    return reason;
  }

  /** JSON path of the offending value, for example {@code $.subject[0].name}. */
  public String path() {
    return path;
  }
}
