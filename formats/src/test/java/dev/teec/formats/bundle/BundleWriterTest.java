package dev.teec.formats.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.EphemeralSigningKey;
import dev.teec.formats.report.Subject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWriterTest {
  @TempDir Path tmp;

  @Test
  void write_sameContentsTwice_givesByteIdenticalFiles() throws Exception {
    BundleContents contents = BundleFixture.contents(tmp.resolve("a"));
    WrittenBundle one = BundleWriter.write(tmp.resolve("one.tar"), contents);
    Thread.sleep(1100); // a different wall-clock second must not show in the bytes
    WrittenBundle two = BundleWriter.write(tmp.resolve("two.tar"), contents);
    byte[] first = Files.readAllBytes(one.path());
    assertThat(Files.readAllBytes(two.path())).isEqualTo(first);
    assertThat(one.sha256()).isEqualTo(two.sha256()).isEqualTo(BundleFixture.sha256(first));
    assertThat(one.size()).isEqualTo(first.length);
    assertThat(first.length % 10240).isZero();
  }

  @Test
  void write_sameOutputsFromAnotherDirectory_givesTheSameBytes() throws Exception {
    BundleContents a = BundleFixture.contents(tmp.resolve("a"));
    BundleContents b = BundleFixture.contents(tmp.resolve("elsewhere/b"));
    assertThat(Files.readAllBytes(BundleWriter.write(tmp.resolve("a.tar"), a).path()))
        .isEqualTo(Files.readAllBytes(BundleWriter.write(tmp.resolve("b.tar"), b).path()));
  }

  @Test
  void write_layout_isSortedRegularFilesWithFixedMetadata() throws Exception {
    BundleContents contents = BundleFixture.contents(tmp.resolve("a"));
    Path out = BundleWriter.write(tmp.resolve("b.tar"), contents).path();
    List<String> names = new ArrayList<>();
    Map<String, byte[]> data = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(out))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
        data.put(e.getName(), in.readAllBytes());
        assertThat(e.isFile()).as(e.getName()).isTrue();
        assertThat(e.getLastModifiedTime().toMillis()).isZero();
        assertThat(e.getLongUserId()).isZero();
        assertThat(e.getLongGroupId()).isZero();
        assertThat(e.getUserName()).isEmpty();
        assertThat(e.getGroupName()).isEmpty();
        assertThat(e.getMode()).isEqualTo(e.getName().equals("artifacts/bin/hello") ? 0755 : 0644);
      }
    }
    assertThat(names)
        .containsExactly(
            "artifacts/bin/hello",
            "artifacts/docs/r\u00e9sum\u00e9-\u2603.txt",
            "artifacts/empty",
            "artifacts/" + BundleFixture.LONG_PATH,
            BundleLayout.ATTESTATION,
            BundleLayout.BUILD_LOG,
            BundleLayout.REPORT_DSSE,
            BundleLayout.REPORT);
    assertThat(data.get(BundleLayout.REPORT)).isEqualTo(contents.reportJson());
    assertThat(data.get(BundleLayout.REPORT_DSSE)).isEqualTo(contents.reportDsseJson());
    assertThat(data.get(BundleLayout.ATTESTATION)).isEqualTo(BundleFixture.ATTESTATION);
    assertThat(data.get(BundleLayout.BUILD_LOG)).isEqualTo(BundleFixture.LOG);
    assertThat(data.get("artifacts/" + BundleFixture.LONG_PATH)).hasSize(1500);
  }

  @Test
  void write_thenRead_roundTripsEveryPart() throws Exception {
    BundleContents contents = BundleFixture.contents(tmp.resolve("a"));
    Path out = BundleWriter.write(tmp.resolve("b.tar"), contents).path();
    Path extract = Files.createDirectory(tmp.resolve("x"));
    ReadBundle read = new BundleReader(BundleLimits.defaults()).read(out, extract);
    assertThat(read.reportJson()).isEqualTo(contents.reportJson());
    assertThat(read.reportDsseJson()).isEqualTo(contents.reportDsseJson());
    assertThat(read.attestationCbor()).isEqualTo(BundleFixture.ATTESTATION);
    assertThat(Files.readAllBytes(read.buildLog().file())).isEqualTo(BundleFixture.LOG);
    assertThat(read.buildLog().file()).isEqualTo(extract.resolve("teec/build.log"));
    Map<String, byte[]> outputs = BundleFixture.defaultOutputs();
    assertThat(read.artifacts())
        .extracting(ExtractedFile::name)
        .containsExactlyInAnyOrderElementsOf(outputs.keySet());
    for (int i = 0; i < read.artifacts().size(); i++) {
      ExtractedFile f = read.artifacts().get(i);
      // Extracted by position, not at its name (which may be deeper than the file system allows).
      assertThat(f.file()).isEqualTo(extract.resolve("artifacts").resolve(String.valueOf(i + 1)));
      assertThat(Files.readAllBytes(f.file())).isEqualTo(outputs.get(f.name()));
      assertThat(f.sha256()).isEqualTo(BundleFixture.sha256(outputs.get(f.name())));
      assertThat(f.executable()).isEqualTo(f.name().equals("bin/hello"));
      assertThat(Files.isExecutable(f.file())).isEqualTo(f.executable());
    }
    assertThat(read.checkConsistency().subjects()).hasSize(outputs.size());
  }

  @Test
  void write_existingFile_isReplacedAndNoTemporaryFileRemains() throws Exception {
    Path out = tmp.resolve("b.tar");
    Files.writeString(out, "old");
    BundleWriter.write(out, BundleFixture.contents(tmp.resolve("a")));
    assertThat(Files.size(out)).isGreaterThan(3);
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("a", "b.tar");
    }
  }

  @Test
  void write_artifactChangedAfterHashing_failsAndLeavesNothing() throws Exception {
    BundleContents contents = BundleFixture.contents(tmp.resolve("a"));
    Files.writeString(tmp.resolve("a/out/bin/hello"), "tampered");
    assertThatThrownBy(() -> BundleWriter.write(tmp.resolve("b.tar"), contents))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("artifacts/bin/hello has SHA-256");
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a");
    }
  }

  @Test
  void write_buildLogOtherThanReported_fails() throws Exception {
    BundleContents contents = BundleFixture.contents(tmp.resolve("a"));
    Files.writeString(contents.buildLog(), "another log");
    assertThatThrownBy(() -> BundleWriter.write(tmp.resolve("b.tar"), contents))
        .hasMessageContaining("teec/build.log has SHA-256");
  }

  @Test
  void write_artifactsNotMatchingSubjects_fail() throws Exception {
    BundleContents contents = BundleFixture.contents(tmp.resolve("a"));
    List<BundleArtifact> fewer = contents.artifacts().subList(1, contents.artifacts().size());
    assertThatThrownBy(
            () -> BundleWriter.write(tmp.resolve("b.tar"), withArtifacts(contents, fewer)))
        .hasMessageContaining("report subjects without an artifact: [bin/hello]");
    List<BundleArtifact> more = new ArrayList<>(contents.artifacts());
    more.add(
        new BundleArtifact(
            "extra", contents.buildLog(), BundleFixture.sha256(BundleFixture.LOG), false));
    assertThatThrownBy(
            () -> BundleWriter.write(tmp.resolve("b.tar"), withArtifacts(contents, more)))
        .hasMessageContaining("artifacts that are not report subjects: [extra]");
    List<BundleArtifact> wrongDigest = new ArrayList<>(contents.artifacts());
    BundleArtifact first = wrongDigest.get(0);
    wrongDigest.set(
        0, new BundleArtifact(first.path(), first.file(), "0".repeat(64), first.executable()));
    assertThatThrownBy(
            () -> BundleWriter.write(tmp.resolve("b.tar"), withArtifacts(contents, wrongDigest)))
        .hasMessageContaining("the report records");
  }

  @Test
  void write_artifactWhoseExecutableBitDiffersFromItsSubject_fails() throws Exception {
    BundleContents contents = BundleFixture.contents(tmp.resolve("a"));
    List<BundleArtifact> flipped = new ArrayList<>(contents.artifacts());
    int hello =
        flipped.indexOf(
            flipped.stream().filter(a -> a.path().equals("bin/hello")).findFirst().orElseThrow());
    BundleArtifact a = flipped.get(hello);
    flipped.set(hello, new BundleArtifact(a.path(), a.file(), a.sha256(), false));
    assertThatThrownBy(
            () -> BundleWriter.write(tmp.resolve("b.tar"), withArtifacts(contents, flipped)))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining(
            "artifact bin/hello has mode 0644 in the tar, the report records 0755");
    assertThat(tmp.resolve("b.tar")).doesNotExist();
  }

  @Test
  void write_envelopeOfAnotherPayload_fails() throws Exception {
    BundleContents contents = BundleFixture.contents(tmp.resolve("a"));
    byte[] otherEnvelope =
        Dsse.sign(
                Dsse.IN_TOTO_PAYLOAD_TYPE,
                "{}".getBytes(StandardCharsets.UTF_8),
                EphemeralSigningKey.generate(new SecureRandom()))
            .toJson();
    BundleContents bad =
        new BundleContents(
            contents.reportJson(),
            otherEnvelope,
            contents.attestationCbor(),
            contents.buildLog(),
            contents.artifacts());
    assertThatThrownBy(() -> BundleWriter.write(tmp.resolve("b.tar"), bad))
        .hasMessageContaining("payload differs");
    BundleContents noAttestation =
        new BundleContents(
            contents.reportJson(),
            contents.reportDsseJson(),
            new byte[0],
            contents.buildLog(),
            contents.artifacts());
    assertThatThrownBy(() -> BundleWriter.write(tmp.resolve("b.tar"), noAttestation))
        .hasMessageContaining("attestation.cbor is empty");
  }

  @Test
  void write_symlinkedArtifact_isRefused() throws Exception {
    BundleContents contents = BundleFixture.contents(tmp.resolve("a"));
    Path real = tmp.resolve("a/out/bin/hello");
    Path moved = tmp.resolve("a/real-hello");
    Files.move(real, moved);
    Files.createSymbolicLink(real, moved);
    assertThatThrownBy(() -> BundleWriter.write(tmp.resolve("b.tar"), contents))
        .hasMessageContaining("is not a regular file");
  }

  @Test
  void write_fileAndDirectoryOfTheSameName_isRefused() throws Exception {
    Map<String, byte[]> outputs = new LinkedHashMap<>();
    outputs.put("a", new byte[] {1});
    outputs.put("a/b", new byte[] {2});
    BundleContents contents =
        BundleFixture.contents(tmp.resolve("a"), Map.of("x", new byte[0]), Set.of());
    List<BundleArtifact> artifacts = new ArrayList<>();
    List<Subject> subjects = new ArrayList<>();
    for (Map.Entry<String, byte[]> o : outputs.entrySet()) {
      Path file = Files.write(tmp.resolve("f" + artifacts.size()), o.getValue());
      artifacts.add(
          new BundleArtifact(o.getKey(), file, BundleFixture.sha256(o.getValue()), false));
      subjects.add(new Subject(o.getKey(), BundleFixture.sha256(o.getValue()), false));
    }
    byte[] report =
        BundleFixture.report(subjects, BundleFixture.sha256(BundleFixture.LOG)).canonicalBytes();
    byte[] dsse =
        Dsse.sign(
                Dsse.IN_TOTO_PAYLOAD_TYPE, report, EphemeralSigningKey.generate(new SecureRandom()))
            .toJson();
    BundleContents conflicting =
        new BundleContents(report, dsse, BundleFixture.ATTESTATION, contents.buildLog(), artifacts);
    assertThatThrownBy(() -> BundleWriter.write(tmp.resolve("b.tar"), conflicting))
        .hasMessageContaining("lies below artifacts/a, which is a file");
  }

  private static BundleContents withArtifacts(BundleContents c, List<BundleArtifact> artifacts) {
    return new BundleContents(
        c.reportJson(), c.reportDsseJson(), c.attestationCbor(), c.buildLog(), artifacts);
  }
}
