package dev.teec.verifier;

import java.io.IOException;
import java.util.Objects;

/** A policy file that is not valid JSON or not a valid policy; {@link #path()} says where. */
public final class PolicyFormatException extends IOException {
  private final String path;

  public PolicyFormatException(String path, String message) {
    super(path + ": " + message);
    this.path = Objects.requireNonNull(path, "path");
  }

  public PolicyFormatException(String path, String message, Throwable cause) {
    super(path + ": " + message, cause);
    this.path = Objects.requireNonNull(path, "path");
  }

  /** JSON path of the offending value, for example {@code $.pcrs.0}. */
  public String path() {
    return path;
  }
}
