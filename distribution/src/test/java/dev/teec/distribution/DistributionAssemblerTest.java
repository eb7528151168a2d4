package dev.teec.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.digest.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TimeZone;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionAssemblerTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<String> NAMES =
      List.of(
          "teec-1.2.3/",
          "teec-1.2.3/LICENSE",
          "teec-1.2.3/bin/",
          "teec-1.2.3/bin/teec",
          "teec-1.2.3/bin/teec-launcher.sh",
          "teec-1.2.3/bin/teec-verify",
          "teec-1.2.3/lib/",
          "teec-1.2.3/lib/teec-cli.classlist",
          "teec-1.2.3/lib/teec-cli.jar",
          "teec-1.2.3/lib/teec-verify.classlist");

  @TempDir Path dir;

  /** A checkout with the inputs; the class list in the given order, files at the given time. */
  private Path checkout(String name, List<String> classListLines, Instant fileTime, String perms)
      throws IOException {
    Path root = dir.resolve(name);
    write(root, "LICENSE", "the licence\n");
    write(root, "bin/teec", "#!/bin/sh\necho teec\n");
    write(root, "bin/teec-verify", "#!/bin/sh\necho teec-verify\n");
    write(root, "bin/teec-launcher.sh", "# shared\n");
    write(root, "verifier-cli/target/teec-cli.jar", "PK not really a jar");
    for (String list : List.of("teec-cli.classlist", "teec-verify.classlist")) {
      write(
          root,
          "verifier-cli/target/" + list,
          "# NOTE: Do not modify this file.\n" + String.join("\n", classListLines) + "\n");
    }
    try (var files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(p, FileTime.from(fileTime));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
      }
    }
    return root;
  }

  private static void write(Path root, String relative, String content) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private static final List<String> CLASSES =
      List.of(
          "java/lang/Object", "dev/teec/cli/TeecVerify", "@lambda-proxy a b", "java/lang/String");

  @Test
  void assemble_inputsCopiedWithOtherTimesModesOrderAndTimeZone_givesIdenticalBytes()
      throws IOException {
    List<String> shuffled = new ArrayList<>(CLASSES);
    Collections.reverse(shuffled);
    Path a = checkout("a", CLASSES, Instant.parse("2026-03-04T05:06:07Z"), "rwxr-xr-x");
    Path b = checkout("b", shuffled, Instant.parse("2031-12-31T23:59:59Z"), "rw-------");

    TimeZone zone = TimeZone.getDefault();
    List<Path> first;
    List<Path> second;
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
      first = new DistributionAssembler(a, "1.2.3", T).assemble(dir.resolve("out-a"));
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
      second = new DistributionAssembler(b, "1.2.3", T).assemble(dir.resolve("out-b"));
    } finally {
      TimeZone.setDefault(zone);
    }

    for (int i = 0; i < 3; i++) {
      assertThat(first.get(i).getFileName()).isEqualTo(second.get(i).getFileName());
      assertThat(Files.readAllBytes(second.get(i)))
          .as("%s", first.get(i).getFileName())
          .isEqualTo(Files.readAllBytes(first.get(i)));
    }
  }

  @Test
  void assemble_changedInput_changesTheDigests() throws IOException {
    Path a = checkout("a", CLASSES, T, "rwxr-xr-x");
    List<Path> before = new DistributionAssembler(a, "1.2.3", T).assemble(dir.resolve("out-a"));
    write(a, "bin/teec-launcher.sh", "# shared, changed\n");
    List<Path> after = new DistributionAssembler(a, "1.2.3", T).assemble(dir.resolve("out-b"));

    assertThat(Digests.sha256Hex(after.get(0))).isNotEqualTo(Digests.sha256Hex(before.get(0)));
    assertThat(Digests.sha256Hex(after.get(1))).isNotEqualTo(Digests.sha256Hex(before.get(1)));
  }

  @Test
  void assemble_tarGz_hasEveryEntryInNameOrderWithFixedTimeOwnerAndMode() throws IOException {
    Path a = checkout("a", CLASSES, Instant.parse("2030-01-01T00:00:00Z"), "rwx------");
    Path tarGz = new DistributionAssembler(a, "1.2.3", T).assemble(dir.resolve("out")).get(0);

    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(tarGz)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
        assertThat(e.getModTime().toInstant()).as(e.getName()).isEqualTo(T);
        assertThat(e.getLongUserId()).as(e.getName()).isZero();
        assertThat(e.getLongGroupId()).as(e.getName()).isZero();
        assertThat(e.getUserName()).isEqualTo("root");
        boolean executable = e.isDirectory() || e.getName().matches(".*/bin/teec(-verify)?");
        assertThat(e.getMode() & 07777).as(e.getName()).isEqualTo(executable ? 0755 : 0644);
        if (e.getName().endsWith(".classlist")) {
          assertThat(new String(tar.readAllBytes(), StandardCharsets.UTF_8))
              .isEqualTo(
                  "dev/teec/cli/TeecVerify\njava/lang/Object\njava/lang/String\n@lambda-proxy a b\n");
        }
      }
    }
    assertThat(names).containsExactlyElementsOf(NAMES);
    try (InputStream in = Files.newInputStream(tarGz)) {
      byte[] header = in.readNBytes(10);
      assertThat(header[4] | header[5] | header[6] | header[7]).as("gzip MTIME").isZero();
      assertThat(header[3] & 0x08).as("gzip FNAME flag").isZero();
    }
  }

  @Test
  void assemble_zip_keepsModesAndReadsBackTheTimestamp() throws IOException {
    Path a = checkout("a", CLASSES, Instant.parse("2030-01-01T00:00:00Z"), "rwx------");
    Path zipFile = new DistributionAssembler(a, "1.2.3", T).assemble(dir.resolve("out")).get(1);

    List<String> names = new ArrayList<>();
    try (ZipFile zip = ZipFile.builder().setPath(zipFile).get()) {
      for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
        names.add(e.getName());
        boolean executable = e.isDirectory() || e.getName().matches(".*/bin/teec(-verify)?");
        assertThat(e.getUnixMode() & 07777).as(e.getName()).isEqualTo(executable ? 0755 : 0644);
        assertThat(e.getLastModifiedDate().toInstant())
            .as(e.getName())
            .isEqualTo(
                T.atOffset(java.time.ZoneOffset.UTC)
                    .toLocalDateTime()
                    .atZone(java.time.ZoneId.systemDefault())
                    .toInstant());
      }
    }
    assertThat(names).containsExactlyElementsOf(NAMES);
  }

  @Test
  void assemble_digestFile_listsBothArchivesInSha256sumFormat() throws IOException {
    Path a = checkout("a", CLASSES, T, "rw-r--r--");
    List<Path> out = new DistributionAssembler(a, "1.2.3", T).assemble(dir.resolve("out"));

    assertThat(out.get(2).getFileName().toString()).isEqualTo("teec-1.2.3.sha256");
    assertThat(Files.readString(out.get(2)))
        .isEqualTo(
            Digests.sha256Hex(out.get(0))
                + "  teec-1.2.3.tar.gz\n"
                + Digests.sha256Hex(out.get(1))
                + "  teec-1.2.3.zip\n");
  }

  @Test
  void assemble_jarNotBuilt_failsNamingItAndWritesNoArchive() throws IOException {
    Path a = checkout("a", CLASSES, T, "rw-r--r--");
    Files.delete(a.resolve("verifier-cli/target/teec-cli.jar"));
    Path out = dir.resolve("out");

    assertThatThrownBy(() -> new DistributionAssembler(a, "1.2.3", T).assemble(out))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("verifier-cli/target/teec-cli.jar")
        .hasMessageContaining("build it first");
    assertThat(out).doesNotExist();
  }

  @Test
  void constructor_versionWithPathSeparator_isRefused() {
    assertThatThrownBy(() -> new DistributionAssembler(dir, "../1.0", T))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../1.0");
  }
}
