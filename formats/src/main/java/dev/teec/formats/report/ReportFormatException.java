package dev.teec.formats.report;

import java.io.IOException;
import java.util.Objects;

/** Report bytes that are not a valid teec build report (SPEC W3); {@link #path()} says where. */
public final class ReportFormatException extends IOException {
  private final String path;

  ReportFormatException(String path, String message) {
    super(path + ": " + message);
    this.path = Objects.requireNonNull(path, "path");
  }

  ReportFormatException(String path, String message, Throwable cause) {
    super(path + ": " + message, cause);
    this.path = Objects.requireNonNull(path, "path");
  }

  /** JSON path of the offending value, for example {@code $.subject[0].digest.sha256}. */
  public String path() {
    return path;
  }
}
