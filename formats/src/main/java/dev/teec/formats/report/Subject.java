package dev.teec.formats.report;

/**
 * One build output: its declared path (an {@link ArtifactPaths artifact path}, also its path below
 * {@code artifacts/} in the bundle) and the SHA-256 of its bytes, lowercase hex.
 */
public record Subject(String name, String sha256) {
  /** Validates both components. */
  public Subject {
    ArtifactPaths.check(name);
    Checks.sha256(sha256, "subject " + name + " digest");
  }
}
