package dev.teec.enclave.report;

import java.util.Objects;

/**
 * A JSON value that has no RFC 8785 canonical form in teec's profile (a non-integral or unsafe
 * number, a lone surrogate, a non-JSON node, nesting too deep); {@link #path()} says where.
 */
public final class JcsException extends IllegalArgumentException {
  private final String path;

  JcsException(String path, String message) {
    super(path + ": " + message);
    this.path = Objects.requireNonNull(path, "path");
  }

  /** JSON path of the offending value, for example {@code $.subject[0].name}. */
  public String path() {
    return path;
  }
}
