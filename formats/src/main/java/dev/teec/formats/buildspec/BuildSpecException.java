package dev.teec.formats.buildspec;

import java.io.IOException;
import java.util.Objects;

/**
 * A build.json that is not valid JSON or not a valid build specification. {@link #path()} is the
 * JSON path of the offending value ({@code $} for the document itself), so the message can be shown
 * to the user as is.
 */
public final class BuildSpecException extends IOException {
  private final String path;
  private final String problem;

  public BuildSpecException(String path, String problem) {
    super(Objects.requireNonNull(path, "path") + ": " + Objects.requireNonNull(problem, "problem"));
    this.path = path;
    this.problem = problem;
  }

  public BuildSpecException(String path, String problem, Throwable cause) {
    super(
        Objects.requireNonNull(path, "path") + ": " + Objects.requireNonNull(problem, "problem"),
        cause);
    this.path = path;
    this.problem = problem;
  }

  /** JSON path of the offending value, for example {@code $.output.files[2]}. */
  public String path() {
    return path;
  }

  /** What is wrong, without the path. */
  public String problem() {
    return problem;
  }
}
