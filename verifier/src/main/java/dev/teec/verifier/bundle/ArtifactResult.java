package dev.teec.verifier.bundle;

import java.util.Objects;

/**
 * One artifact file compared with the report: an {@code artifacts/} entry of the bundle, or a file
 * the user supplied.
 *
 * @param name the artifact's declared path (the report subject it claims to be)
 * @param sha256 the SHA-256 the report records for {@code name}, or null when it records none or
 *     the report is invalid
 * @param actualSha256 the SHA-256 of the file's bytes
 * @param location {@code "bundle"} for the bundle's own entry, else the path of the user's file
 * @param status the outcome
 */
public record ArtifactResult(
    String name, String sha256, String actualSha256, String location, Status status) {
  /** How an artifact compares with the report. */
  public enum Status {
    /** Its SHA-256 is the subject's. */
    VERIFIED,
    /** Its SHA-256 or its executable bit differs from the subject's. */
    MISMATCH,
    /** The report has no subject of that name. */
    UNLISTED,
    /** Not compared: the report is not valid. */
    UNCHECKED
  }

  /** Validates that the required components are present. */
  public ArtifactResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(actualSha256, "actualSha256");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(status, "status");
  }

  /** The location of an artifact read from the bundle itself. */
  public static final String IN_BUNDLE = "bundle";
}
