package dev.teec.builder.client;

import dev.teec.builder.source.PackedSource;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One build to run.
 *
 * @param buildJson the project's build.json, as the file holds it (validated before)
 * @param source the packed source
 * @param out where the bundle goes; written only when every check passed, atomically
 * @param roots which root the attestation must chain to
 */
public record BuildPlan(byte[] buildJson, PackedSource source, Path out, TrustRoots roots) {

  /** Copies the array and checks the fields. */
  public BuildPlan {
    buildJson = buildJson.clone();
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(roots, "roots");
    out = out.toAbsolutePath().normalize();
  }

  @Override
  public byte[] buildJson() {
    return buildJson.clone();
  }
}
