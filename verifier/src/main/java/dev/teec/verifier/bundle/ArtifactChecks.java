package dev.teec.verifier.bundle;

import dev.teec.digest.Digests;
import dev.teec.formats.bundle.BundleConsistency;
import dev.teec.formats.bundle.BundleLayout;
import dev.teec.formats.bundle.ExtractedFile;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Steps 5 (second half) and 6 of spec C2: the report's subjects are exactly the artifacts present
 * ({@code bundle.files}, {@code bundle.subjects}), and each artifact of the bundle and each file
 * the user gave has the digest and executable bit its subject records ({@code
 * bundle.artifact:NAME}, {@code bundle.file:NAME}): a bundle entry's mode (0755 or 0644), and a
 * user's file's owner execute permission where its file system has POSIX permissions.
 */
final class ArtifactChecks {
  private final BundleVerifier settings;
  private final ProvenanceReport report;
  private final String noReport;
  private final List<BundleCheck> checks;
  private final List<ArtifactResult> results = new ArrayList<>();

  /**
   * @param report the parsed report, or null when it is not valid or not authenticated
   * @param noReport the detail of the checks not run when {@code report} is null
   * @param checks where the checks are appended
   */
  ArtifactChecks(
      BundleVerifier settings, ProvenanceReport report, String noReport, List<BundleCheck> checks) {
    this.settings = settings;
    this.report = report;
    this.noReport = noReport;
    this.checks = checks;
  }

  /** Runs the checks for the bundle's artifacts {@code inBundle} and the user's files. */
  void run(List<ExtractedFile> inBundle) throws IOException {
    Map<String, Path> userFiles = userFiles();
    checks.add(subjects(inBundle, userFiles));
    for (ExtractedFile a : inBundle) {
      artifact(
          "bundle.artifact:" + a.name(),
          a.name(),
          a.sha256(),
          a.executable(),
          ArtifactResult.IN_BUNDLE);
    }
    for (Map.Entry<String, Path> f : userFiles.entrySet()) {
      artifact(
          "bundle.file:" + f.getKey(),
          f.getKey(),
          Digests.sha256Hex(f.getValue()),
          executable(f.getValue()),
          f.getValue().toString());
    }
  }

  /** Every artifact file compared, the bundle's entries first. */
  List<ArtifactResult> results() {
    return results;
  }

  /**
   * The user's files: the named ones, then the files of the artifact directory. That directory is
   * what a user ships, so each file in it (at any depth) must be a subject: {@code bundle.files}
   * fails naming those that are not, and when none is.
   */
  private Map<String, Path> userFiles() throws IOException {
    Map<String, Path> files = new LinkedHashMap<>(new TreeMap<>(settings.artifactFiles));
    Path directory = settings.artifactDirectory;
    if (directory == null || report == null) {
      return files;
    }
    List<String> strays = new ArrayList<>();
    int found = 0;
    for (String name : filesBelow(directory)) {
      if (report.subject(name) == null) {
        strays.add(name);
      } else {
        files.putIfAbsent(name, directory.resolve(name));
        found++;
      }
    }
    if (!strays.isEmpty()) {
      checks.add(
          BundleCheck.fail(
              "bundle.files",
              directory
                  + " holds "
                  + strays.size()
                  + " file(s) that are not subjects of the report: "
                  + String.join(", ", strays.subList(0, Math.min(strays.size(), 20)))
                  + (strays.size() > 20 ? ", ..." : "")));
    } else if (found == 0) {
      checks.add(
          BundleCheck.fail(
              "bundle.files",
              directory
                  + " holds none of the report's "
                  + report.subjects().size()
                  + " subject(s)"));
    } else {
      checks.add(
          BundleCheck.pass(
              "bundle.files", "every file of " + directory + " is a subject of the report"));
    }
    return files;
  }

  /**
   * The names, '/'-separated and sorted, of everything below {@code directory} that is not a
   * directory; the walk does not follow links into other directories.
   */
  private static List<String> filesBelow(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(
              p ->
                  directory.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
          .sorted()
          .toList();
    }
  }

  /** Step 5, second half: the subjects are exactly the artifacts present. */
  private BundleCheck subjects(List<ExtractedFile> inBundle, Map<String, Path> userFiles) {
    if (report == null) {
      return BundleCheck.skip("bundle.subjects", noReport);
    }
    Set<String> bundled = new TreeSet<>();
    inBundle.forEach(a -> bundled.add(a.name()));
    List<String> problems = BundleConsistency.subjectProblems(report, bundled, userFiles.keySet());
    if (!problems.isEmpty()) {
      return BundleCheck.fail("bundle.subjects", String.join("; ", problems));
    }
    Set<String> subjects = new TreeSet<>();
    report.subjects().forEach(s -> subjects.add(s.name()));
    return BundleCheck.pass(
        "bundle.subjects",
        "the "
            + subjects.size()
            + " subject(s) are exactly the artifacts present"
            + (bundled.equals(subjects) ? "" : " (in the bundle or given)"));
  }

  /**
   * Step 6: one artifact file against its subject's digest and executable bit.
   *
   * @param executable whether the file is executable, or null when its file system cannot say
   */
  private void artifact(
      String id, String name, String actual, Boolean executable, String location) {
    if (report == null) {
      results.add(
          new ArtifactResult(name, null, actual, location, ArtifactResult.Status.UNCHECKED));
      checks.add(BundleCheck.skip(id, noReport));
      return;
    }
    Subject subject = report.subject(name);
    boolean inBundle = location.equals(ArtifactResult.IN_BUNDLE);
    String where = inBundle ? "artifacts/" + name : location;
    if (subject == null) {
      results.add(new ArtifactResult(name, null, actual, location, ArtifactResult.Status.UNLISTED));
      checks.add(BundleCheck.fail(id, where + " is not a subject of the report"));
      return;
    }
    List<String> problems = new ArrayList<>();
    if (!subject.sha256().equals(actual)) {
      problems.add("has SHA-256 " + actual + ", the report records " + subject.sha256());
    }
    if (executable != null && executable != subject.executable()) {
      problems.add(
          inBundle
              ? "has " + BundleConsistency.modeProblem(subject, executable).orElseThrow()
              : (executable ? "is" : "is not")
                  + " executable, the report records mode "
                  + mode(subject.executable()));
    }
    ArtifactResult.Status status =
        problems.isEmpty() ? ArtifactResult.Status.VERIFIED : ArtifactResult.Status.MISMATCH;
    results.add(new ArtifactResult(name, subject.sha256(), actual, location, status));
    if (!problems.isEmpty()) {
      checks.add(BundleCheck.fail(id, where + " " + String.join("; ", problems)));
      return;
    }
    checks.add(
        BundleCheck.pass(
            id,
            where
                + " has the SHA-256 the report records ("
                + actual
                + ")"
                + (executable == null
                    ? "; its executable bit is not checked: its file system has no POSIX"
                        + " permissions"
                    : inBundle
                        ? " and its mode (" + mode(subject.executable()) + ")"
                        : " and is "
                            + (subject.executable() ? "" : "not ")
                            + "executable,"
                            + " as the report records")));
  }

  private static String mode(boolean executable) {
    return String.format("%04o", BundleLayout.artifactMode(executable));
  }

  /**
   * Whether the owner may execute {@code file} (the bit the worker records), or null when its file
   * system has no POSIX permissions.
   */
  private static Boolean executable(Path file) throws IOException {
    if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
      return null;
    }
    return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
  }
}
