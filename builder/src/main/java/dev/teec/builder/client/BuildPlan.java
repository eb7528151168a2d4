package dev.teec.builder.client;

import dev.teec.builder.source.PackedSource;
import dev.teec.enclave.protocol.SourceMetadata;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One build to run.
 *
 * @param buildJson the project's build.json, as the file holds it (validated before)
 * @param source the packed source
 * @param out where the bundle goes; written only when every check passed, atomically
 * @param roots which root the attestation must chain to
 * @param sourceMetadata what to tell the worker about the source; empty to derive it from the
 *     source's git state (B2). A rebuild sends the original report's metadata instead, so that it
 *     gets the same SOURCE_DATE_EPOCH whatever checkout it was made from; the returned report must
 *     then record exactly these values.
 */
public record BuildPlan(
    byte[] buildJson,
    PackedSource source,
    Path out,
    TrustRoots roots,
    Optional<SourceMetadata> sourceMetadata) {

  /** Copies the array and checks the fields. */
  public BuildPlan {
    buildJson = buildJson.clone();
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(roots, "roots");
    Objects.requireNonNull(sourceMetadata, "sourceMetadata");
    out = out.toAbsolutePath().normalize();
  }

  /** A build whose source metadata comes from the source's git state. */
  public BuildPlan(byte[] buildJson, PackedSource source, Path out, TrustRoots roots) {
    this(buildJson, source, out, roots, Optional.empty());
  }

  @Override
  public byte[] buildJson() {
    return buildJson.clone();
  }
}
