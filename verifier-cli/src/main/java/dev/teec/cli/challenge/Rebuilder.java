package dev.teec.cli.challenge;

import dev.teec.builder.progress.Progress;
import dev.teec.builder.source.PackedSource;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.enclave.proxy.OfflineReplay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a build again and returns its bundle: locally with a simulated NSM, or in a Nitro Enclave.
 */
interface Rebuilder {
  /** The next step after a rebuild that produced no bundle. */
  String REBUILD_FAILED =
      "the log above shows why the rebuild failed; this machine may lack the toolchain or the"
          + " network the original had (try --offline after 'teec challenge fetch')";

  /**
   * What to build.
   *
   * @param packed the deterministic source archive, whose digest equals the original's
   * @param buildJson the build.json of the original report
   * @param source the source claim to send: the original's, with the commit's objects when the
   *     source is a clean checkout of that commit (see ReproduceCommand#sourceMetadata)
   * @param path the PATH the original build had, when the report records one (a local rebuild gives
   *     it to the build; an enclave has its image's own)
   * @param toolchainEnvironment the toolchain variables the original local build had and build.json
   *     does not set (a local rebuild gives them to the build, SPEC W2)
   * @param replay offline replay of the original's network resources, or empty to go online
   * @param bundleOut where the rebuilt bundle goes
   * @param progress receives the build log, and the rebuilder's phases and notes
   */
  record Request(
      PackedSource packed,
      byte[] buildJson,
      SourceMetadata source,
      Optional<String> path,
      Map<String, String> toolchainEnvironment,
      Optional<OfflineReplay> replay,
      Path bundleOut,
      Progress progress) {
    public Request {
      Objects.requireNonNull(packed, "packed");
      buildJson = buildJson.clone();
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(path, "path");
      toolchainEnvironment = Map.copyOf(toolchainEnvironment);
      Objects.requireNonNull(replay, "replay");
      Objects.requireNonNull(bundleOut, "bundleOut");
      Objects.requireNonNull(progress, "progress");
    }

    @Override
    public byte[] buildJson() {
      return buildJson.clone();
    }
  }

  /**
   * Builds and writes the bundle to {@link Request#bundleOut()}.
   *
   * @throws ChallengeException when the build fails (exit 1) or cannot be started
   * @throws IOException on I/O failure
   */
  void rebuild(Request request) throws ChallengeException, IOException, InterruptedException;

  /** How this rebuilder is described in the output, e.g. "locally with a simulated NSM". */
  String describe();
}
