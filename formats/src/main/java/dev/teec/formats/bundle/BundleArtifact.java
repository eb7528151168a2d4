package dev.teec.formats.bundle;

import dev.teec.formats.report.ArtifactPaths;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An output to put into the bundle.
 *
 * @param path the declared path, the report's subject name; stored as {@code artifacts/<path>}
 * @param file where the output's bytes are now (a regular file, not a symlink)
 * @param sha256 the digest recorded in the report; the writer fails if the file's bytes differ
 * @param executable whether the output was executable; gives mode 0755 instead of 0644
 */
public record BundleArtifact(String path, Path file, String sha256, boolean executable) {
  /** Validates the path and digest format. */
  public BundleArtifact {
    ArtifactPaths.check(path);
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sha256, "sha256");
    if (sha256.length() != 64 || !sha256.equals(sha256.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException("sha256 of " + path + " must be 64 lowercase hex digits");
    }
    HexFormat.of().parseHex(sha256);
  }
}
