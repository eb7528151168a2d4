package dev.teec.builder.client;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a successful build produced and how it was checked.
 *
 * @param bundle where the bundle was written
 * @param bundleSize its size in bytes
 * @param bundleSha256 its SHA-256, hex
 * @param simulated whether a local worker with the simulated NSM built it
 * @param emulated whether an emulated enclave (QEMU) built it: its attestation is unsigned
 * @param debugEnclave whether the enclave ran in debug mode
 * @param worker what built it (from the worker handle)
 * @param workerName the name the worker gave in its hello
 * @param nonce the nonce of this build, hex
 * @param reportSha384 SHA-384 of the report, hex (the attestation's user_data)
 * @param source the source that was sent
 * @param subjects output name to SHA-256 (hex), as the report records them
 */
public record BuildSummary(
    Path bundle,
    long bundleSize,
    String bundleSha256,
    boolean simulated,
    boolean emulated,
    boolean debugEnclave,
    String worker,
    String workerName,
    String nonce,
    String reportSha384,
    SourceSummary source,
    Map<String, String> subjects) {

  /** Checks the fields are present and copies the map. */
  public BuildSummary {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(source, "source");
    subjects = Map.copyOf(subjects);
  }

  /**
   * The source as sent.
   *
   * @param archiveSha256 SHA-256 of the deterministic source archive, hex
   * @param archiveSize its size in bytes
   * @param files how many files it holds
   * @param commit the git commit, or null outside git
   * @param tree the git tree of the archived directory, or null
   * @param dirty whether tracked files differed from the commit (allowed with --allow-dirty)
   * @param uri the repository URI without credentials, or null
   */
  public record SourceSummary(
      String archiveSha256,
      long archiveSize,
      int files,
      String commit,
      String tree,
      boolean dirty,
      String uri) {}
}
