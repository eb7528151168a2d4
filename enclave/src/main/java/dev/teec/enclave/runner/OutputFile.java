package dev.teec.enclave.runner;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One build output, hashed from the runner's private copy of it.
 *
 * @param relativePath '/'-separated path relative to the source root (the bundle stores it under
 *     {@code artifacts/})
 * @param size bytes
 * @param sha256 lower-case hex
 * @param sha384 lower-case hex
 * @param file the runner's copy (in {@code <buildRoot>/out}), whose bytes the digests describe; it
 *     has mode 0755 when {@code executable}, otherwise 0644, and stays until the next {@link
 *     BuildRunner#prepare()} on the same root
 * @param executable whether the original's owner could execute it, read once when it was copied:
 *     what the report records and the mode the bundle gives it
 */
public record OutputFile(
    String relativePath, long size, String sha256, String sha384, Path file, boolean executable) {
  public OutputFile {
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(sha384, "sha384");
    Objects.requireNonNull(file, "file");
  }
}
