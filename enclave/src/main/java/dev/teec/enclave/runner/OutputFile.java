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
 *     keeps the executable bit of the original (mode 0755, otherwise 0644) and stays until the next
 *     {@link BuildRunner#prepare()} on the same root
 */
public record OutputFile(String relativePath, long size, String sha256, String sha384, Path file) {
  public OutputFile {
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(sha384, "sha384");
    Objects.requireNonNull(file, "file");
  }
}
