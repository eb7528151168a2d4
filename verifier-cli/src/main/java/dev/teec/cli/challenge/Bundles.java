package dev.teec.cli.challenge;

import dev.teec.cli.CliSupport;
import dev.teec.formats.bundle.BundleFormatException;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.formats.report.ProvenanceReport;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading bundles and cleaning up after them. */
final class Bundles {
  /** The next step for a bundle that is not valid: the verifier names the failing check. */
  static final String VERIFY_IT = "run 'teec verify bundle' on it to see which check fails";

  private Bundles() {}

  /** A bundle that passed the structural and consistency checks, and its report. */
  record Checked(ReadBundle bundle, ProvenanceReport report) {}

  /**
   * Reads {@code tar} into the empty directory {@code extract} and checks its consistency.
   *
   * @param what how to name the bundle in messages ("the bundle", "the rebuilt bundle")
   * @throws ChallengeException exit 2 when the file cannot be read, 1 when it is not a valid bundle
   */
  static Checked read(Path tar, Path extract, String what) throws ChallengeException {
    ReadBundle read;
    try {
      read = new BundleReader(BundleLimits.defaults()).read(tar, extract);
    } catch (BundleFormatException e) {
      throw new ChallengeException(
              CliSupport.REJECTED,
              what + " " + tar + " is not a valid bundle: " + e.getMessage(),
              e)
          .next(VERIFY_IT);
    } catch (NoSuchFileException e) {
      throw new ChallengeException(
          CliSupport.USAGE, "cannot read " + what + " " + tar + ": no such file", e);
    } catch (IOException e) {
      throw new ChallengeException(
          CliSupport.USAGE, "cannot read " + what + " " + tar + ": " + e.getMessage(), e);
    }
    try {
      return new Checked(read, read.checkConsistency());
    } catch (BundleFormatException e) {
      throw new ChallengeException(
              CliSupport.REJECTED, what + " " + tar + " is inconsistent: " + e.getMessage(), e)
          .next(VERIFY_IT);
    }
  }
}
