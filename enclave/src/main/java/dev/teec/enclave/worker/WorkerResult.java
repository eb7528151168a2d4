package dev.teec.enclave.worker;

import dev.teec.enclave.runner.BuildStatus;
import dev.teec.formats.bundle.WrittenBundle;
import java.util.Optional;

/**
 * The end of one build. A bundle exists only when the build succeeded and was attested; a failed
 * build never yields a bundle that could be mistaken for success.
 *
 * @param status how the build command ended
 * @param exitCode the command's exit code (-1 when it did not run to completion)
 * @param failure why the build failed, when it did
 * @param bundle the written bundle, present exactly when the build succeeded
 * @param reportSha384 hex SHA-384 of the report, the attestation's user_data, when a bundle exists
 */
public record WorkerResult(
    BuildStatus status,
    int exitCode,
    Optional<String> failure,
    Optional<WrittenBundle> bundle,
    Optional<String> reportSha384) {

  public boolean succeeded() {
    return bundle.isPresent();
  }
}
