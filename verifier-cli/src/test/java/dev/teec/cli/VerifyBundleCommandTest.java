package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.formats.report.SourceInfo;
import dev.teec.verifier.bundle.BundleForge;
import dev.teec.verifier.bundle.TarBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * teec-verify bundle on a bundle the local worker built (gcc, simulated NSM) and on variants of it.
 */
class VerifyBundleCommandTest {
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final String REPO = "git+https://github.com/example/hello";

  @TempDir static Path tmp;
  private static BundleForge forge;
  private static Path bundle;
  private static BundleForge.Parts parts;
  private static String pcr0;

  @BeforeAll
  static void buildBundle() throws Exception {
    forge = BundleForge.create(tmp);
    bundle = forge.base;
    parts = forge.read(bundle);
    pcr0 = HexFormat.of().formatHex(BundleForge.identity().pcrs().get(0));
  }

  private static CliRun verify(String... args) {
    return CliRun.run(
        clock -> TeecVerify.newCommandLine(clock, forge.env), Clock.systemUTC(), args);
  }

  private static JsonNode json(CliRun run) throws Exception {
    return new ObjectMapper().readTree(run.out());
  }

  private static List<String> failures(CliRun run) throws Exception {
    List<String> out = new ArrayList<>();
    json(run).get("failures").forEach(f -> out.add(f.asText()));
    return out;
  }

  private static String status(CliRun run, String checkId) throws Exception {
    for (JsonNode c : json(run).get("checks")) {
      if (c.get("id").asText().equals(checkId)) {
        return c.get("status").asText();
      }
    }
    return "absent";
  }

  @Test
  void bundle_simulated_verifiesWithASimulatedWarning() throws Exception {
    CliRun run = verify("bundle", "--simulated", "--any-image", "--json", bundle.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("verified").asBoolean()).isTrue();
    assertThat(r.get("simulated").asBoolean()).isTrue();
    assertThat(r.get("subjects").has("hello")).isTrue();
    assertThat(r.get("attestation").get("verified").asBoolean()).isTrue();
    assertThat(r.get("warnings").toString()).contains("bundle.image").contains("bundle.simulated");
    List<String> ids = new ArrayList<>();
    r.get("checks").forEach(c -> ids.add(c.get("id").asText()));
    assertThat(ids)
        .containsExactly(
            "bundle.structure",
            "bundle.attestation",
            "bundle.image",
            "bundle.binding",
            "bundle.dsse",
            "bundle.report",
            "bundle.subjects",
            "bundle.artifact:hello",
            "bundle.simulated");
    JsonNode report = r.get("report");
    assertThat(report.get("builderId").asText()).isEqualTo("https://teec.dev/builders/local/v1");
    assertThat(report.get("command").asText()).isEqualTo("gcc -o hello hello.c");
    assertThat(report.get("dependencies").asInt()).isZero();
    assertThat(report.has("localBuilder")).as("only the documented fields").isFalse();
    assertThat(report.get("image").get("pcrs").get("0").asText()).isEqualTo(pcr0);
    JsonNode artifact = r.get("artifacts").get(0);
    assertThat(artifact.get("name").asText()).isEqualTo("hello");
    assertThat(artifact.get("status").asText()).isEqualTo("verified");
    assertThat(artifact.get("sha256").asText())
        .isEqualTo(BundleForge.sha256(parts.artifacts().get("hello")));
  }

  @Test
  void bundle_humanReport_readsLikeAnAuditSummary() {
    CliRun run = verify("bundle", "--simulated", "--any-image", bundle.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .startsWith(
            "VERIFIED  " + bundle + "  (SIMULATED; 2 warnings: bundle.image, bundle.simulated)")
        .contains("  built     hello  sha256 ")
        .contains("  from      a source archive (no repository or commit recorded)")
        .contains("  command   c: gcc -o hello hello.c")
        .contains("  builder   local worker with a simulated NSM, not an enclave")
        .contains("  image     PCR0 " + pcr0)
        .contains("PASS  bundle.binding")
        .containsPattern("WARN  bundle\\.image +ANY IMAGE: the enclave image is not identified");
  }

  @Test
  void bundle_withoutSimulated_isRejectedOnTheRoot() throws Exception {
    CliRun run = verify("bundle", "--any-image", "--json", bundle.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.attestation");
    assertThat(json(run).get("attestation").get("failures").toString())
        .contains("chain.root_pinned");
  }

  @Test
  void bundle_tamperedArtifact_failsItsArtifactCheck() throws Exception {
    byte[] hello = parts.artifacts().get("hello").clone();
    hello[200] ^= 1;
    Path tampered = forge.write("tampered-artifact.tar", parts.withArtifact("hello", hello));
    CliRun run = verify("bundle", "--simulated", "--any-image", "--json", tampered.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.artifact:hello");
    assertThat(json(run).get("artifacts").get(0).get("status").asText()).isEqualTo("mismatch");
  }

  @Test
  void bundle_tamperedReport_failsBindingAndIsNotParsed() throws Exception {
    // A valid report that differs from the signed one: the invocation id is changed.
    byte[] report =
        BundleForge.copy(
                parts.parsedReport(),
                parts.parsedReport().subjects(),
                parts.parsedReport().source(),
                "tampered")
            .canonicalBytes();
    Path tampered = forge.write("tampered-report.tar", parts.withReport(report));
    CliRun run = verify("bundle", "--simulated", "--any-image", "--json", tampered.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    // The report is not authenticated, so neither it nor the envelope is parsed.
    assertThat(failures(run)).containsExactly("bundle.binding");
    assertThat(status(run, "bundle.dsse")).isEqualTo("SKIP");
    assertThat(status(run, "bundle.report")).isEqualTo("SKIP");
  }

  @Test
  void bundle_swappedAttestationFromAnotherBundle_failsBinding() throws Exception {
    BundleForge.Parts other = forge.resign(parts, forge.otherBuilder(), r -> r);
    assertThat(
            verify(
                    "bundle",
                    "--simulated",
                    "--any-image",
                    forge.write("other.tar", other).toString())
                .exitCode())
        .isZero();
    Path swapped = forge.write("swapped.tar", parts.withAttestation(other.attestation()));
    CliRun run = verify("bundle", "--simulated", "--any-image", "--json", swapped.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.binding");
    assertThat(status(run, "bundle.dsse")).isEqualTo("SKIP");
  }

  @Test
  void bundle_subjectWithoutArtifact_failsTheSubjectCheck() throws Exception {
    BundleForge.Parts p =
        forge.resign(
            parts,
            forge.otherBuilder(),
            r -> BundleForge.withSubject(r, "lib/extra.a", "ab".repeat(32), false));
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            forge.write("missing-subject.tar", p).toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.subjects");
    assertThat(json(run).toString()).contains("subjects without an artifact: [lib/extra.a]");
  }

  @Test
  void bundle_artifactThatIsNoSubject_failsSubjectsAndItsArtifactCheck() throws Exception {
    BundleForge.Parts p =
        forge.resign(
            parts.withArtifact("extra", "x".getBytes(StandardCharsets.UTF_8)),
            forge.otherBuilder(),
            r -> r);
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            forge.write("extra-artifact.tar", p).toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.subjects", "bundle.artifact:extra");
  }

  @Test
  void bundle_subjectSuppliedByTheUser_insteadOfTheBundle_verifies() throws Exception {
    byte[] lib = "a library".getBytes(StandardCharsets.UTF_8);
    Path libFile = Files.write(tmp.resolve("extra.a"), lib);
    String libSha256 = sha256(lib);
    BundleForge.Parts p =
        forge.resign(
            parts,
            forge.otherBuilder(),
            r -> BundleForge.withSubject(r, "extra.a", libSha256, false));
    Path b = forge.write("user-supplied.tar", p);
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--artifact",
            "extra.a=" + libFile,
            b.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(status(run, "bundle.file:extra.a")).isEqualTo("PASS");
    assertThat(status(run, "bundle.subjects")).isEqualTo("PASS");
  }

  @Test
  void bundle_userArtifact_isComparedWithTheReport() throws Exception {
    Path other = tmp.resolve("other");
    Files.writeString(other, "not the program");
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--artifact",
            "hello=" + other,
            bundle.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.file:hello");
  }

  @Test
  void bundle_artifactsDirectory_checksTheSubjectsFoundThere() throws Exception {
    Path good = Files.createDirectories(tmp.resolve("dist-good"));
    Files.write(good.resolve("hello"), parts.artifacts().get("hello"));
    Files.setPosixFilePermissions(
        good.resolve("hello"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    CliRun ok =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--artifacts",
            good.toString(),
            bundle.toString());
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(status(ok, "bundle.file:hello")).isEqualTo("PASS");

    Path bad = Files.createDirectories(tmp.resolve("dist-bad"));
    Files.writeString(bad.resolve("hello"), "something else");
    assertThat(
            failures(
                verify(
                    "bundle",
                    "--simulated",
                    "--any-image",
                    "--json",
                    "--artifacts",
                    bad.toString(),
                    bundle.toString())))
        .containsExactly("bundle.file:hello");

    Path empty = Files.createDirectories(tmp.resolve("dist-empty"));
    assertThat(
            failures(
                verify(
                    "bundle",
                    "--simulated",
                    "--any-image",
                    "--json",
                    "--artifacts",
                    empty.toString(),
                    bundle.toString())))
        .containsExactly("bundle.files");
  }

  /** The shipped directory's executable bits are checked too: a program without +x fails. */
  @Test
  void bundle_artifactsDirectoryWithoutTheRecordedExecutableBit_failsTheFileCheck()
      throws Exception {
    Path dist = Files.createDirectories(tmp.resolve("dist-noexec"));
    Path hello = Files.write(dist.resolve("hello"), parts.artifacts().get("hello"));
    Files.setPosixFilePermissions(
        hello, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--artifacts",
            dist.toString(),
            bundle.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.file:hello");
    assertThat(run.out()).contains(hello + " is not executable, the report records mode 0755");
  }

  /** A tar re-packed with the executable bit removed: report and attestation are untouched. */
  @Test
  void bundle_tarWithTheExecutableBitRemoved_failsTheArtifactCheck() throws Exception {
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            forge.write("no-exec-bit.tar", parts.withMode("hello", false)).toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.artifact:hello");
    assertThat(run.out())
        .contains("artifacts/hello has mode 0644 in the tar, the report records 0755");
  }

  /** The directory is what a user ships: a file in it that the report does not cover fails. */
  @Test
  void bundle_artifactsDirectoryWithAFileThatIsNoSubject_failsNamingIt() throws Exception {
    Path dist = Files.createDirectories(tmp.resolve("dist-stray/sub"));
    Files.write(dist.getParent().resolve("hello"), parts.artifacts().get("hello"));
    Files.setPosixFilePermissions(
        dist.getParent().resolve("hello"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dist.resolve("trojan.so"), "not built by the enclave");
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--artifacts",
            dist.getParent().toString(),
            bundle.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.files");
    assertThat(run.out()).contains("not subjects of the report: sub/trojan.so");
  }

  @Test
  void bundle_artifactGivenTwiceForOneName_isAUsageError() throws Exception {
    Path one = Files.write(tmp.resolve("hello-1"), parts.artifacts().get("hello"));
    Path two = Files.writeString(tmp.resolve("hello-2"), "other");
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--artifact",
            "hello=" + one,
            "--artifact",
            "hello=" + two,
            bundle.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--artifact hello is given twice");
  }

  /**
   * A 4,096-byte entry name is valid but deeper than a file system allows: the bundle fails its own
   * checks (exit 1), and the run goes on to the next bundle.
   */
  @Test
  void bundle_artifactNameOf4096Bytes_failsOnlyThatBundle() throws Exception {
    String deep =
        String.join("/", java.util.Collections.nCopies(16, "a".repeat(239)))
            + "/"
            + "b".repeat(246);
    Path b = tmp.resolve("deep-name.tar");
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(Files.newOutputStream(b), 10240, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      SortedMap<String, byte[]> entries = new TreeMap<>();
      parts
          .withArtifact(deep, new byte[] {1})
          .artifacts()
          .forEach((n, c) -> entries.put("artifacts/" + n, c));
      entries.put("teec/attestation.cbor", parts.attestation());
      entries.put("teec/build.log", parts.log());
      entries.put("teec/report.dsse.json", parts.dsse());
      entries.put("teec/report.json", parts.report());
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setMode(e.getKey().startsWith("artifacts/") ? 0755 : 0644);
        entry.setLastModifiedTime(FileTime.fromMillis(0));
        entry.setUserName("");
        entry.setGroupName("");
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    CliRun run = verify("bundle", "--simulated", "--any-image", b.toString(), bundle.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out())
        .contains("REJECTED  " + b + "  (2 checks failed: bundle.subjects, bundle.artifact:aaa")
        .contains("VERIFIED  " + bundle);
  }

  @Test
  void bundle_expectNonce_isCheckedAgainstTheAttestation() throws Exception {
    CliRun right =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--expect-nonce",
            "00".repeat(16),
            bundle.toString());
    assertThat(right.exitCode()).as(right.toString()).isZero();
    assertThat(status(right, "bundle.expect.nonce")).isEqualTo("PASS");
    CliRun wrong =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--expect-nonce",
            "01".repeat(16),
            bundle.toString());
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(failures(wrong)).containsExactly("bundle.expect.nonce");
  }

  @Test
  void bundle_expectSource_comparesUriAndCommit() throws Exception {
    BundleForge.Parts p =
        forge.resign(
            parts,
            forge.otherBuilder(),
            r ->
                BundleForge.withSource(
                    r,
                    r.source()
                        .withUri(REPO)
                        .withCommit(COMMIT)
                        .withTree(COMMIT)
                        .withDirty(false)
                        .withCommitVerified(true)));
    Path b = forge.write("with-source.tar", p);
    CliRun right =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--expect-source",
            REPO + "@" + COMMIT,
            b.toString());
    assertThat(right.exitCode()).as(right.toString()).isZero();
    assertThat(status(right, "bundle.expect.source")).isEqualTo("PASS");
    assertThat(json(right).get("report").get("source").get("commit").asText()).isEqualTo(COMMIT);

    CliRun wrongCommit =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--expect-source",
            REPO + "@" + "f".repeat(40),
            b.toString());
    assertThat(failures(wrongCommit)).containsExactly("bundle.expect.source");
    CliRun unknownSource =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--expect-source",
            REPO + "@" + COMMIT,
            bundle.toString());
    assertThat(failures(unknownSource)).containsExactly("bundle.expect.source");
  }

  /** A commit the worker did not verify is the client's word: it never matches. */
  @Test
  void bundle_expectSource_unverifiedCommitClaim_fails() throws Exception {
    for (Boolean verified : new Boolean[] {null, false}) {
      BundleForge.Parts p =
          forge.resign(
              parts,
              forge.otherBuilder(),
              r ->
                  BundleForge.withSource(
                      r,
                      new SourceInfo(
                          REPO,
                          COMMIT,
                          COMMIT,
                          null,
                          r.source().archiveSha256(),
                          false,
                          verified)));
      CliRun run =
          verify(
              "bundle",
              "--simulated",
              "--any-image",
              "--json",
              "--expect-source",
              REPO + "@" + COMMIT,
              forge.write("unverified.tar", p).toString());
      assertThat(failures(run))
          .as(String.valueOf(verified))
          .containsExactly("bundle.expect.source");
      assertThat(run.out()).contains("the commit is the client's unverified claim");
    }
  }

  @Test
  void bundle_expectSource_directory_mustBeTheOneExpected() throws Exception {
    BundleForge.Parts p =
        forge.resign(
            parts,
            forge.otherBuilder(),
            r ->
                BundleForge.withSource(
                    r,
                    new SourceInfo(
                        REPO, COMMIT, COMMIT, "app", r.source().archiveSha256(), false, true)));
    Path b = forge.write("subdirectory.tar", p);
    CliRun top =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--expect-source",
            REPO + "@" + COMMIT,
            b.toString());
    assertThat(failures(top)).containsExactly("bundle.expect.source");
    assertThat(top.out()).contains("the report records directory app, expected the top directory");
    CliRun app =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--expect-source",
            REPO + "@" + COMMIT + ":app",
            b.toString());
    assertThat(app.exitCode()).as(app.toString()).isZero();
    assertThat(status(app, "bundle.expect.source")).isEqualTo("PASS");
  }

  @Test
  void bundle_expectSource_dirtyTree_fails() throws Exception {
    BundleForge.Parts p =
        forge.resign(
            parts,
            forge.otherBuilder(),
            r ->
                BundleForge.withSource(
                    r, new SourceInfo(REPO, COMMIT, null, r.source().archiveSha256(), true)));
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--expect-source",
            REPO + "@" + COMMIT,
            forge.write("dirty.tar", p).toString());
    assertThat(failures(run)).containsExactly("bundle.expect.source");
    assertThat(run.out()).contains("uncommitted changes");
  }

  @Test
  void bundle_expectSource_malformed_isAUsageError() {
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--expect-source",
            "no-commit-here",
            bundle.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--expect-source");
  }

  @Test
  void bundle_expectBuilderByPcr0_identifiesTheImageWithoutAnyImage() throws Exception {
    CliRun right =
        verify("bundle", "--simulated", "--json", "--expect-builder", pcr0, bundle.toString());
    assertThat(right.exitCode()).as(right.toString()).isZero();
    assertThat(status(right, "bundle.expect.builder")).isEqualTo("PASS");
    assertThat(status(right, "bundle.image")).isEqualTo("PASS");
    CliRun wrong =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            "--expect-builder",
            "ab".repeat(48),
            bundle.toString());
    assertThat(failures(wrong)).containsExactly("bundle.image", "bundle.expect.builder");
  }

  /** The report's own registry id is the worker's claim: without a registry it is never trusted. */
  @Test
  void bundle_expectBuilderByRegistryIdWithoutRegistry_isAUsageError() {
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--expect-builder",
            "teec-worker-2099",
            bundle.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--expect-builder teec-worker-2099: a registry image id needs");
  }

  /** Issue 10: no registry, no pinned PCRs, only the simulated root: the image is unknown. */
  @Test
  void bundle_imageNotIdentified_failsBundleImage() throws Exception {
    CliRun run = verify("bundle", "--simulated", "--json", bundle.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.image");
    assertThat(run.out()).contains("the enclave image is not identified");
    CliRun human = verify("bundle", "--simulated", bundle.toString());
    assertThat(human.out()).startsWith("REJECTED  " + bundle + "  (1 check failed: bundle.image)");
  }

  @Test
  void bundle_anyImageWithPinnedPcrs_isAUsageError() {
    CliRun run =
        verify(
            "bundle", "--simulated", "--any-image", "--expect-pcr", "0=" + pcr0, bundle.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--any-image contradicts the pinned PCRs");
  }

  @Test
  void bundle_expectPcr_mismatch_failsTheImageCheck() throws Exception {
    CliRun wrong =
        verify(
            "bundle",
            "--simulated",
            "--json",
            "--expect-pcr",
            "0=" + "11".repeat(48),
            bundle.toString());
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(failures(wrong)).containsExactly("bundle.image");
    CliRun right =
        verify("bundle", "--simulated", "--json", "--expect-pcr", "0=" + pcr0, bundle.toString());
    assertThat(right.exitCode()).as(right.toString()).isZero();
    assertThat(status(right, "bundle.image")).isEqualTo("PASS");
  }

  @Test
  void bundle_reportNamingAnotherImage_failsTheReportCheck() throws Exception {
    SimulatedNsm nsm = forge.otherBuilder();
    BundleForge.Parts p =
        forge.resign(parts, nsm, r -> BundleForge.copyWithImagePcr0(r, "22".repeat(48)));
    CliRun run =
        verify(
            "bundle",
            "--simulated",
            "--any-image",
            "--json",
            forge.write("other-image.tar", p).toString());
    assertThat(failures(run)).containsExactly("bundle.report");
    assertThat(run.out()).contains("the report names the image by PCR0");
  }

  @Test
  void bundle_expectUserData_isAUsageError() {
    CliRun run =
        verify(
            "bundle", "--simulated", "--any-image", "--expect-user-data", "00", bundle.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--expect-user-data does not apply to bundles");
  }

  @Test
  void bundle_notATar_isRejectedOnStructure() throws Exception {
    Path junk = tmp.resolve("junk.tar");
    Files.writeString(junk, "junk");
    CliRun run = verify("bundle", "--simulated", "--any-image", junk.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("bundle.structure");
  }

  static Stream<Arguments> hostileTars() {
    byte[] x = "x".getBytes(StandardCharsets.UTF_8);
    return Stream.of(
        Arguments.of("zip-slip", new TarBytes().file("../escaped", x, 0644), "'..' component"),
        Arguments.of(
            "zip-slip below artifacts",
            new TarBytes().file("artifacts/../../escaped", x, 0644),
            ".."),
        Arguments.of(
            "absolute path", new TarBytes().file("/tmp/teec-escaped", x, 0644), "absolute"),
        Arguments.of(
            "symlink",
            new TarBytes()
                .header("artifacts/hello", '2', TarBytes.octal(0, 11), "/etc/passwd", 0777),
            "symbolic link"),
        Arguments.of(
            "hard link",
            new TarBytes()
                .header("artifacts/hello", '1', TarBytes.octal(0, 11), "/etc/passwd", 0644),
            "hard link"),
        Arguments.of(
            "char device",
            new TarBytes().header("artifacts/hello", '3', TarBytes.octal(0, 11), "", 0644),
            "character device"),
        Arguments.of(
            "block device",
            new TarBytes().header("artifacts/hello", '4', TarBytes.octal(0, 11), "", 0644),
            "block device"),
        Arguments.of(
            "fifo",
            new TarBytes().header("artifacts/hello", '6', TarBytes.octal(0, 11), "", 0644),
            "FIFO"),
        Arguments.of(
            "duplicate entry",
            new TarBytes().file("artifacts/hello", x, 0755).file("artifacts/hello", x, 0755),
            "duplicate"),
        // 10 GB in 12 octal digits: above ustar's 8 GiB and the artifact limit; no content follows.
        Arguments.of(
            "10 GB entry",
            new TarBytes()
                .header("artifacts/hello", '0', Long.toOctalString(10_000_000_000L), "", 0755),
            "more than the limit"),
        Arguments.of(
            "10 GB sparse entry",
            new TarBytes()
                .header("artifacts/hello", 'S', Long.toOctalString(10_000_000_000L), "", 0755),
            "sparse"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileTars")
  void bundle_hostileTar_isRejectedOnStructureWithoutWritingOutside(
      String name, TarBytes tar, String reason) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("hostile-" + name.replace(' ', '-')));
    Path file = Files.write(dir.resolve("hostile.tar"), tar.finish());
    CliRun run = verify("bundle", "--simulated", "--any-image", "--json", file.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(failures(run)).containsExactly("bundle.structure");
    assertThat(json(run).get("checks").get(0).get("detail").asText()).containsIgnoringCase(reason);
    assertThat(json(run).get("attestation").isNull()).isTrue();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
    assertThat(Path.of("/tmp/teec-escaped")).doesNotExist();
  }

  private static String sha256(byte[] data) throws Exception {
    return BundleForge.sha256(data);
  }
}
