package dev.teec.formats.report;

/**
 * One build output: its declared path (an {@link ArtifactPaths artifact path}, also its path below
 * {@code artifacts/} in the bundle), the SHA-256 of its bytes, lowercase hex, and whether it is
 * executable (mode 0755 in the bundle, else 0644; written as {@code annotations.executable}).
 */
public record Subject(String name, String sha256, boolean executable) {
  /** Validates the name and digest. */
  public Subject {
    ArtifactPaths.check(name);
    Checks.sha256(sha256, "subject " + name + " digest");
  }
}
