package dev.teec.cli.challenge.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactComparatorTest {
  @TempDir Path tmp;

  private Path file(String name, byte[] content) throws IOException {
    return Files.write(tmp.resolve(name), content);
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  @Test
  void compare_identical_matchWithBothDigests() throws Exception {
    ArtifactComparison c =
        ArtifactComparator.compare("a", file("a", bytes(100_000, 1)), file("b", bytes(100_000, 1)));

    assertThat(c.verdict()).isEqualTo(Verdict.MATCH);
    assertThat(c.originalSha256()).isEqualTo(c.rebuiltSha256()).isPresent();
    assertThat(c.difference()).isEmpty();
    assertThat(c.summary()).isEqualTo("identical");
  }

  @Test
  void compare_oneByteDiffersBeyondTheFirstBuffer_offsetAndSameSize() throws Exception {
    byte[] a = bytes(200_000, 1);
    byte[] b = a.clone();
    b[150_001] ^= 0x10;

    ArtifactComparison c = ArtifactComparator.compare("bin", file("a", a), file("b", b));

    assertThat(c.verdict()).isEqualTo(Verdict.MISMATCH);
    assertThat(c.originalSha256()).isNotEqualTo(c.rebuiltSha256());
    FirstDifference d = c.difference().orElseThrow();
    assertThat(d.offset()).isEqualTo(150_001);
    assertThat(d.originalSize()).isEqualTo(200_000);
    assertThat(d.archive()).isEmpty();
    assertThat(c.summary()).isEqualTo("same size 200000, first difference at byte offset 150001");
  }

  @Test
  void compare_prefix_offsetIsTheShorterSize() throws Exception {
    byte[] a = bytes(70_000, 3);
    byte[] b = new byte[70_010];
    System.arraycopy(a, 0, b, 0, a.length);

    ArtifactComparison c = ArtifactComparator.compare("bin", file("a", a), file("b", b));

    assertThat(c.difference().orElseThrow().offset()).isEqualTo(70_000);
    assertThat(c.summary())
        .isEqualTo(
            "size 70000 -> 70010, first difference at byte offset 70000 (the original ends there)");
  }

  @Test
  void compare_emptyOriginal_offsetZero() throws Exception {
    ArtifactComparison c =
        ArtifactComparator.compare("bin", file("a", new byte[0]), file("b", new byte[] {1}));

    assertThat(c.difference().orElseThrow().offset()).isZero();
  }

  @Test
  void missingAndUnexpected_mismatchWithOneDigest() {
    assertThat(ArtifactComparator.missing("x", "aa").summary())
        .isEqualTo("missing from the rebuild");
    assertThat(ArtifactComparator.unexpected("x", "bb").summary())
        .isEqualTo("produced only by the rebuild");
    assertThat(ArtifactComparator.missing("x", "aa").verdict()).isEqualTo(Verdict.MISMATCH);
  }

  private Path zip(String name, Map<String, String> entries, long time) throws IOException {
    Path f = tmp.resolve(name);
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(f)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
        entry.setTime(e.getKey().equals("META-INF/MANIFEST.MF") ? time : 1_600_000_000_000L);
        out.putArchiveEntry(entry);
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeArchiveEntry();
      }
    }
    return f;
  }

  private static Map<String, String> entries(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void compare_jars_entriesChangedAddedRemovedAndTimestampOnly() throws Exception {
    Path a =
        zip(
            "a.jar",
            entries(
                "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\n",
                "app/A.class",
                "A1",
                "app/Gone.class",
                "G",
                "app/Same.class",
                "S"),
            1_600_000_000_000L);
    Path b =
        zip(
            "b.jar",
            entries(
                "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\n",
                "app/A.class",
                "A2",
                "app/New.class",
                "N",
                "app/Same.class",
                "S"),
            1_700_000_000_000L);

    ArtifactComparison c = ArtifactComparator.compare("app.jar", a, b);

    ArchiveDifference d = c.difference().orElseThrow().archive().orElseThrow();
    assertThat(d.format()).isEqualTo("zip");
    assertThat(d.error()).isNull();
    assertThat(d.entries())
        .extracting(EntryChange::name, EntryChange::change)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("META-INF/MANIFEST.MF", "metadata"),
            org.assertj.core.groups.Tuple.tuple("app/A.class", "content"),
            org.assertj.core.groups.Tuple.tuple("app/Gone.class", "removed"),
            org.assertj.core.groups.Tuple.tuple("app/New.class", "added"));
    assertThat(d.entries().get(0).detail())
        .contains("time=1600000000000")
        .contains("time=1700000000000");
    assertThat(c.summary()).contains("zip entries: 2 differ, 1 added, 1 removed");
  }

  @Test
  void compare_zipsWithSameEntriesInAnotherOrder_orderDiffers() throws Exception {
    Path a = zip("a.zip", entries("x", "1", "y", "2"), 0);
    Path b = zip("b.zip", entries("y", "2", "x", "1"), 0);

    ArchiveDifference d =
        ArtifactComparator.compare("z", a, b).difference().orElseThrow().archive().orElseThrow();

    assertThat(d.entries()).isEmpty();
    assertThat(d.orderDiffers()).isTrue();
  }

  @Test
  void compare_damagedZips_reportedNotThrown() throws Exception {
    byte[] a = "PK\u0003\u0004 not really a zip".getBytes(StandardCharsets.ISO_8859_1);
    byte[] b = "PK\u0003\u0004 not really a zip either".getBytes(StandardCharsets.ISO_8859_1);

    ArtifactComparison c = ArtifactComparator.compare("z", file("a", a), file("b", b));

    ArchiveDifference d = c.difference().orElseThrow().archive().orElseThrow();
    assertThat(d.error()).isNotNull();
    assertThat(c.summary()).contains("zip entries not compared");
  }

  @Test
  void compare_zipAgainstPlainFile_noArchiveSummary() throws Exception {
    Path a = zip("a.zip", entries("x", "1"), 0);

    ArtifactComparison c = ArtifactComparator.compare("z", a, file("b", bytes(10, 0)));

    assertThat(c.difference().orElseThrow().archive()).isEmpty();
  }

  private Path tar(String name, Map<String, String> entries, long mtimeSeconds) throws IOException {
    Path f = tmp.resolve(name);
    try (OutputStream raw = Files.newOutputStream(f);
        TarArchiveOutputStream out = new TarArchiveOutputStream(raw)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        byte[] content = e.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(content.length);
        entry.setModTime(FileTime.fromMillis(e.getKey().equals("stamp") ? mtimeSeconds * 1000 : 0));
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
      }
    }
    return f;
  }

  @Test
  void compare_tars_contentAndMtimeDifferences() throws Exception {
    Path a = tar("a.tar", entries("bin/tool", "v1", "stamp", "s", "doc", "d"), 100);
    Path b = tar("b.tar", entries("bin/tool", "v2", "stamp", "s", "doc", "d"), 200);

    ArtifactComparison c = ArtifactComparator.compare("t.tar", a, b);

    ArchiveDifference d = c.difference().orElseThrow().archive().orElseThrow();
    assertThat(d.format()).isEqualTo("tar");
    assertThat(d.entries())
        .extracting(EntryChange::name, EntryChange::change)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("bin/tool", "content"),
            org.assertj.core.groups.Tuple.tuple("stamp", "metadata"));
    assertThat(d.entries().get(1).detail()).contains("time=100000").contains("time=200000");
  }
}
