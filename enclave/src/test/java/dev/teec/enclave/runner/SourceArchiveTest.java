package dev.teec.enclave.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceArchiveTest {
  private static final String LONG_NAME =
      "deep/" + "d".repeat(120) + "/" + "f".repeat(150) + ".txt";

  @TempDir Path tmp;

  private Path sourceTree() throws IOException {
    Path dir = tmp.resolve("tree");
    Files.createDirectories(dir.resolve("src/main"));
    Files.writeString(dir.resolve("Makefile"), "all:\n\tcc main.c\n");
    Files.writeString(dir.resolve("src/main/main.c"), "int main(void){return 0;}\n");
    Files.write(dir.resolve("empty"), new byte[0]);
    Files.writeString(dir.resolve("build.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        dir.resolve("build.sh"), PosixFilePermissions.fromString("rwx------"));
    Files.writeString(dir.resolve("src/ünïcode ✓.txt"), "utf8\n");
    Files.createDirectories(dir.resolve(LONG_NAME).getParent());
    Files.writeString(dir.resolve(LONG_NAME), "long\n");
    return dir;
  }

  private static SourceArchive.Written write(Path dir, List<Path> files, ByteArrayOutputStream out)
      throws IOException {
    return SourceArchive.write(dir, files, out);
  }

  private SourceArchive.Extracted extract(byte[] tar, Path dest) throws IOException {
    return SourceArchive.extract(new ByteArrayInputStream(tar), dest, ArchiveLimits.defaults());
  }

  private Path dest() {
    return tmp.resolve("dest");
  }

  @Test
  void writeThenExtract_roundTripsFilesModesAndDigest() throws Exception {
    Path dir = sourceTree();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SourceArchive.Written written = write(dir, SourceArchive.listFiles(dir), out);
    byte[] tar = out.toByteArray();
    assertThat(written.size()).isEqualTo(tar.length);
    assertThat(written.sha256()).isEqualTo(sha256(tar));
    assertThat(written.entries()).isEqualTo(6);

    SourceArchive.Extracted extracted = extract(tar, dest());
    assertThat(extracted.sha256()).isEqualTo(written.sha256());
    assertThat(extracted.archiveBytes()).isEqualTo(tar.length);
    assertThat(extracted.files()).isEqualTo(6);
    long content = 0;
    for (Path f : SourceArchive.listFiles(dir)) {
      content += Files.size(dir.resolve(f));
    }
    assertThat(extracted.contentBytes()).isEqualTo(content);
    assertThat(tree(dest())).isEqualTo(tree(dir));
    assertThat(perms(dest().resolve("build.sh"))).isEqualTo("rwxr-xr-x");
    assertThat(perms(dest().resolve("Makefile"))).isEqualTo("rw-r--r--");
    assertThat(perms(dest().resolve("src"))).isEqualTo("rwxr-xr-x");
    assertThat(Files.getLastModifiedTime(dest().resolve("src/main/main.c")))
        .isEqualTo(FileTime.from(SourceArchive.FIXED_MTIME));
    assertThat(Files.getLastModifiedTime(dest().resolve("src")))
        .isEqualTo(FileTime.from(SourceArchive.FIXED_MTIME));
  }

  @Test
  void write_isDeterministicWhateverTheOrderTimesAndOwners() throws Exception {
    Path dir = sourceTree();
    List<Path> files = new ArrayList<>(SourceArchive.listFiles(dir));
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    write(dir, files, first);
    Collections.reverse(files);
    Files.setLastModifiedTime(dir.resolve("Makefile"), FileTime.fromMillis(1_700_000_000_123L));
    Files.setPosixFilePermissions(
        dir.resolve("Makefile"), PosixFilePermissions.fromString("rw-rw-rw-"));
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    write(dir, files, second);
    assertThat(second.toByteArray()).isEqualTo(first.toByteArray());

    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(new ByteArrayInputStream(first.toByteArray()), "UTF-8")) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        names.add(e.getName());
        assertThat(e.getLongUserId()).isZero();
        assertThat(e.getLongGroupId()).isZero();
        assertThat(e.getUserName()).isEmpty();
        assertThat(e.getGroupName()).isEmpty();
        assertThat(e.getModTime().toInstant()).isEqualTo(SourceArchive.FIXED_MTIME);
        assertThat(e.getMode()).isEqualTo(e.getName().equals("build.sh") ? 0100755 : 0100644);
        assertThat(e.isFile()).isTrue();
      }
    }
    assertThat(names)
        .containsExactly(
            "Makefile", "build.sh", LONG_NAME, "empty", "src/main/main.c", "src/ünïcode ✓.txt");
    assertThat(first.size() % 512).isZero();
  }

  @Test
  void write_rejectsLinksDuplicatesAndEscapes() throws Exception {
    Path dir = sourceTree();
    Files.createSymbolicLink(dir.resolve("link"), dir.resolve("Makefile"));
    Files.createSymbolicLink(dir.resolve("linkdir"), dir.resolve("src"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> write(dir, List.of(Path.of("link")), out))
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> write(dir, List.of(Path.of("linkdir/main/main.c")), out))
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> write(dir, List.of(Path.of("src")), out))
        .hasMessageContaining("not a regular file");
    assertThatThrownBy(() -> write(dir, List.of(Path.of("Makefile"), Path.of("Makefile")), out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate");
    assertThatThrownBy(() -> write(dir, List.of(Path.of("../x")), out))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> write(dir, List.of(dir.resolve("Makefile")), out))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SourceArchive.listFiles(dir)).hasMessageContaining("symbolic link");
  }

  @Test
  void extract_acceptsDotSlashNamesAndOldStyleDirectories() throws Exception {
    byte[] tar =
        new RawTar()
            .dir("./")
            .dir("./a/")
            .file("./a/b.txt", "x")
            .header("c/", '0', 0, "", 0755)
            .end()
            .bytes();
    SourceArchive.Extracted e = extract(tar, dest());
    assertThat(dest().resolve("a/b.txt")).hasContent("x");
    assertThat(dest().resolve("c")).isDirectory();
    assertThat(e.files()).isEqualTo(1);
    assertThat(e.directories()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "zip-slip          | ../evil              | 0 | `` | '..' segment",
        "zip-slip nested   | a/../../evil         | 0 | `` | '..' segment",
        "absolute          | /etc/evil            | 0 | `` | absolute name",
        "dot segment       | a/./b                | 0 | `` | '.' segment",
        "empty segment     | a//b                 | 0 | `` | empty path segment",
        "backslash         | a\\..\\evil          | 0 | `` | backslash",
        "symlink           | link                 | 2 | /etc/passwd | symbolic link to \"/etc/passwd\"",
        "hardlink          | hard                 | 1 | /etc/passwd | hard link to \"/etc/passwd\"",
        "char device       | tty                  | 3 | `` | character device",
        "block device      | sda                  | 4 | `` | block device",
        "fifo              | pipe                 | 6 | `` | FIFO",
        "unknown type      | odd                  | Z | `` | type flag 'Z'",
        "gnu sparse        | sparse               | S | `` | sparse file",
        "contiguous dir?   | dir/                 | 7 | `` | type flag '7'",
      })
  void extract_hostileEntry_rejectedAndNothingLeft(
      String label, String name, char type, String link, String message) throws Exception {
    byte[] tar =
        new RawTar().file("ok.txt", "fine").header(name, type, 0, link, 0644).end().bytes();
    assertThatThrownBy(() -> extract(tar, dest()))
        .isInstanceOf(SourceArchiveException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((SourceArchiveException) e).entry()).contains(name));
    assertThat(dest()).isEmptyDirectory();
    assertThat(tmp.resolve("evil")).doesNotExist();
  }

  @Test
  void extract_controlCharacterInName_rejected() {
    byte[] tar = new RawTar().header("a\nb", '0', 0, "", 0644).end().bytes();
    assertThatThrownBy(() -> extract(tar, dest())).hasMessageContaining("control character");
  }

  @Test
  void extract_hugeDeclaredSize_rejectedBeforeReadingContent() {
    CountingZeros tail = new CountingZeros();
    byte[] header = new RawTar().header("big.bin", '0', 600L << 20, "", 0644).bytes();
    InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(header), tail);
    assertThatThrownBy(() -> SourceArchive.extract(in, dest(), ArchiveLimits.defaults()))
        .isInstanceOf(SourceArchiveException.class)
        .hasMessageContaining(
            "declared size 629145600 exceeds the limit of 536870912 bytes per file");
    assertThat(tail.count).isLessThan(1 << 17);
  }

  @Test
  void extract_totalAndCountLimits_enforcedFromHeaders() {
    ArchiveLimits limits = new ArchiveLimits(10, 15, 3, 1 << 20);
    byte[] total = new RawTar().file("a", "12345678").file("b", "12345678").end().bytes();
    assertThatThrownBy(() -> SourceArchive.extract(new ByteArrayInputStream(total), dest(), limits))
        .hasMessageContaining("entry \"b\": the files exceed the limit of 15 bytes in total");
    byte[] count =
        new RawTar().file("a", "").file("b", "").file("c", "").file("d", "").end().bytes();
    assertThatThrownBy(() -> SourceArchive.extract(new ByteArrayInputStream(count), dest(), limits))
        .hasMessageContaining("entry \"d\": more than 3 entries");
    byte[] archive = new RawTar().file("a", "1").end().raw(new byte[1 << 20]).bytes();
    assertThatThrownBy(
            () -> SourceArchive.extract(new ByteArrayInputStream(archive), dest(), limits))
        .hasMessageContaining("the archive is larger than 1048576 bytes");
  }

  @Test
  void extract_hugePaxHeader_rejectedWithoutBufferingIt() {
    CountingZeros tail = new CountingZeros();
    byte[] header = new RawTar().header("PaxHeaders/x", 'x', 100L << 20, "", 0644).bytes();
    InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(header), tail);
    assertThatThrownBy(() -> SourceArchive.extract(in, dest(), ArchiveLimits.defaults()))
        .isInstanceOf(SourceArchiveException.class)
        .hasMessageContaining("tar headers between two entries exceed");
    assertThat(tail.count).isLessThan(2 << 20);
  }

  @Test
  void extract_hugeGnuLongName_rejected() {
    CountingZeros tail = new CountingZeros();
    byte[] header = new RawTar().header("././@LongLink", 'L', 100L << 20, "", 0644).bytes();
    InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(header), tail);
    assertThatThrownBy(() -> SourceArchive.extract(in, dest(), ArchiveLimits.defaults()))
        .isInstanceOf(SourceArchiveException.class)
        .hasMessageContaining("tar headers between two entries exceed");
    assertThat(tail.count).isLessThan(2 << 20);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "same file twice       | F:a,F:a         | entry \"a\": duplicate entry",
        "same dir twice        | D:a/,D:a/       | entry \"a/\": duplicate entry",
        "file then dir         | F:a,D:a/        | entry \"a/\": duplicate entry",
        "file then child       | F:a,F:a/b       | entry \"a/b\": \"a\" is a file, not a directory",
        "implied dir then file | F:a/b,F:a       | entry \"a\": file has the name of a directory",
        "dir then file         | D:a/,F:a        | entry \"a\": duplicate entry",
        "dot-slash duplicate   | F:a,F:./a       | entry \"./a\": duplicate entry",
      })
  void extract_duplicatesAndConflicts_rejected(String label, String entries, String message) {
    RawTar tar = new RawTar();
    for (String e : entries.split(",")) {
      if (e.startsWith("F:")) {
        tar.file(e.substring(2), "x");
      } else {
        tar.dir(e.substring(2));
      }
    }
    assertThatThrownBy(() -> extract(tar.end().bytes(), dest())).hasMessageContaining(message);
  }

  @Test
  void extract_impliedThenExplicitDirectory_isFine() throws Exception {
    extract(new RawTar().file("a/b", "x").dir("a/").end().bytes(), dest());
    assertThat(dest().resolve("a/b")).hasContent("x");
  }

  @Test
  void extract_dataAfterTheEnd_rejected() {
    byte[] tar =
        new RawTar().file("a", "x").end().raw("junk".getBytes(StandardCharsets.UTF_8)).bytes();
    assertThatThrownBy(() -> extract(tar, dest()))
        .hasMessageContaining("data after the end of the archive");
  }

  @Test
  void extract_zeroPaddingAfterTheEnd_isHashed() throws Exception {
    byte[] tar = new RawTar().file("a", "x").end().raw(new byte[5000]).bytes();
    assertThat(extract(tar, dest()).sha256()).isEqualTo(sha256(tar));
  }

  @Test
  void extract_truncatedContent_rejected() {
    byte[] full = new RawTar().file("a", "x".repeat(1000)).end().bytes();
    byte[] cut = java.util.Arrays.copyOf(full, 512 + 300);
    assertThatThrownBy(() -> extract(cut, dest()))
        .isInstanceOf(SourceArchiveException.class)
        .hasMessageContaining("entry \"a\"");
  }

  @Test
  void extract_corruptHeader_rejected() {
    byte[] tar = new RawTar().file("a", "x").end().bytes();
    tar[10] ^= 0x55; // breaks the checksum
    assertThatThrownBy(() -> extract(tar, dest()))
        .isInstanceOf(SourceArchiveException.class)
        .hasMessageContaining("corrupt tar");
  }

  @Test
  void extract_directoryWithContent_rejected() {
    byte[] tar =
        new RawTar()
            .header("d/", '5', 3, "", 0755)
            .data("abc".getBytes(StandardCharsets.UTF_8))
            .end()
            .bytes();
    assertThatThrownBy(() -> extract(tar, dest()))
        .hasMessageContaining("directory entry with content");
  }

  @Test
  void extract_nonEmptyDestination_refused() throws Exception {
    Files.createDirectories(dest());
    Files.writeString(dest().resolve("existing"), "keep");
    assertThatThrownBy(() -> extract(new RawTar().end().bytes(), dest()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(dest().resolve("existing")).hasContent("keep");
  }

  @Test
  void extract_modeBits_normalised() throws Exception {
    byte[] tar =
        new RawTar()
            .header("tool", '0', 1, "", 04711)
            .data(new byte[] {'x'})
            .header("data", '0', 1, "", 0600)
            .data(new byte[] {'y'})
            .end()
            .bytes();
    extract(tar, dest());
    assertThat(perms(dest().resolve("tool"))).isEqualTo("rwxr-xr-x");
    assertThat(perms(dest().resolve("data"))).isEqualTo("rw-r--r--");
  }

  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          files.put(root.relativize(p).toString(), Files.readString(p));
        }
      }
    }
    return files;
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** An endless stream of zeros that counts what was read. */
  private static final class CountingZeros extends InputStream {
    long count;

    @Override
    public int read() {
      count++;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Arrays.fill(b, off, off + len, (byte) 0);
      count += len;
      return len;
    }
  }
}
