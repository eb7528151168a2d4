package dev.teec.cli.challenge;

import dev.teec.builder.client.SourceClaims;
import dev.teec.builder.source.PackedSource;
import dev.teec.builder.source.SelectedSource;
import dev.teec.builder.source.SourceException;
import dev.teec.builder.source.SourcePacker;
import dev.teec.builder.source.SourceSelector;
import dev.teec.cli.CliSupport;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.SourceInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The source side of {@code teec challenge reproduce}: a {@code --source} directory or git URL,
 * checked out, selected and packed as {@code teec build} does it, and checked against the digest
 * the report records.
 */
final class ReproduceSource {
  private ReproduceSource() {}

  /** A git URL rather than a directory: a scheme, or scp-like {@code user@host:path}. */
  static boolean isUrl(String spec) {
    return spec.contains("://") || spec.matches("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:.*");
  }

  /** Clones {@code --source URL} at the commit the report records, into the work directory. */
  static Path checkout(String sourceSpec, ProvenanceReport report, Path work, PrintWriter err)
      throws ChallengeException {
    String commit = report.source().commit();
    if (commit == null) {
      throw new ChallengeException(
          CliSupport.USAGE,
          "--source "
              + sourceSpec
              + ": the report records no git"
              + " commit, so there is nothing to check out; pass the source directory instead");
    }
    Path dest = work.resolve("checkout");
    try {
      new SourceSelector().checkout(sourceSpec, commit, dest);
    } catch (SourceException e) {
      throw new ChallengeException(
          CliSupport.USAGE, "--source " + sourceSpec + ": " + e.getMessage(), e);
    }
    err.println("teec challenge reproduce: checked out " + sourceSpec + " at " + commit);
    // The directory of the commit that was built; the report's path rules (relative, no "..")
    // keep it inside the checkout.
    String path = report.source().path();
    return path == null ? dest : dest.resolve(path);
  }

  /**
   * Selects and packs {@code --source} exactly as {@code teec build} does (SPEC B2), so that the
   * same project gives the same archive bytes; the archive must have the recorded digest. Dirty git
   * trees are accepted: whether this is the bundle's source is for the digest to decide.
   */
  static PackedSource pack(String sourceSpec, Path source, Path work, String expected)
      throws ChallengeException, IOException {
    PackedSource packed;
    try {
      SelectedSource selected = new SourceSelector().select(source, true, List.of());
      packed = SourcePacker.pack(selected, work);
    } catch (SourceException e) {
      throw new ChallengeException(
          CliSupport.USAGE, "cannot pack --source " + sourceSpec + ": " + e.getMessage(), e);
    }
    if (!packed.sha256().equals(expected)) {
      throw new ChallengeException(
              CliSupport.USAGE,
              "--source "
                  + sourceSpec
                  + " is not the bundle's source: "
                  + describe(packed)
                  + " pack to SHA-256 "
                  + packed.sha256()
                  + ", the report records source archive SHA-256 "
                  + expected)
          .next(
              "give --source the tree the bundle was built from: its repository at the commit the"
                  + " report records, without other changes");
    }
    return packed;
  }

  /** What was packed, for messages: which selection rule applied and how many files it chose. */
  static String describe(PackedSource packed) {
    String rule =
        packed
            .selection()
            .git()
            .map(
                g ->
                    "the git-tracked files at commit "
                        + g.commit()
                        + (g.dirty() ? " with uncommitted changes" : ""))
            .orElse(
                "every file except "
                    + String.join(", ", new TreeSet<>(SourceSelector.IGNORED_NAMES)));
    return rule + ", " + packed.files() + " files";
  }

  /** The rebuild's source claim (SourceClaims#forRebuild), with the original's commit time. */
  static SourceMetadata claim(SourceInfo s, Map<String, String> env, PackedSource packed) {
    String epoch = env.get("SOURCE_DATE_EPOCH");
    Long commitTime = epoch != null && epoch.matches("[0-9]{1,12}") ? Long.parseLong(epoch) : null;
    return SourceClaims.forRebuild(s, commitTime, packed);
  }
}
