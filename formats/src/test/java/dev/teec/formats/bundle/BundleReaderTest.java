package dev.teec.formats.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile and malformed tars, built with commons-compress, against the strict reader. */
class BundleReaderTest {
  @TempDir Path tmp;

  /** One entry to write: a header and its content. */
  private record Item(TarArchiveEntry entry, byte[] content) {}

  /** The entries of a valid bundle, in order: name, mode, content. */
  private record Part(String name, int mode, byte[] content) {}

  private List<Part> parts;

  /** Fresh entries (tests mutate them) of the valid bundle, with the writer's fixed metadata. */
  private List<Item> valid() {
    List<Item> items = new ArrayList<>();
    for (Part p : parts) {
      items.add(new Item(file(p.name(), p.mode()), p.content()));
    }
    return items;
  }

  @BeforeEach
  void validBundle() throws Exception {
    Path out =
        BundleWriter.write(tmp.resolve("valid.tar"), BundleFixture.contents(tmp.resolve("src")))
            .path();
    parts = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(out))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        parts.add(new Part(e.getName(), e.getMode(), in.readAllBytes()));
      }
    }
  }

  private static TarArchiveEntry file(String name, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setMode(mode);
    return fixed(e);
  }

  private static TarArchiveEntry fixed(TarArchiveEntry e) {
    e.setLastModifiedTime(FileTime.fromMillis(0));
    e.setUserId(0);
    e.setGroupId(0);
    e.setUserName("");
    e.setGroupName("");
    return e;
  }

  private static TarArchiveEntry special(String name, byte type) {
    return fixed(new TarArchiveEntry(name, type, true));
  }

  private static byte[] tar(List<Item> items) throws IOException {
    return tar(items, t -> {});
  }

  private static byte[] tar(List<Item> items, Consumer<TarArchiveOutputStream> setup)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out =
        new TarArchiveOutputStream(bytes, 10240, StandardCharsets.UTF_8.name())) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setAddPaxHeadersForNonAsciiNames(true);
      setup.accept(out);
      for (Item item : items) {
        if (item.entry().isGlobalPaxHeader()) {
          out.putArchiveEntry(item.entry()); // commons writes and closes global headers itself
          continue;
        }
        item.entry().setSize(item.content().length);
        out.putArchiveEntry(item.entry());
        out.write(item.content());
        out.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private List<Item> validWith(Consumer<List<Item>> change) {
    List<Item> items = valid();
    change.accept(items);
    return items;
  }

  private static int index(List<Item> items, String name) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).entry().getName().equals(name)) {
        return i;
      }
    }
    throw new AssertionError(name);
  }

  private ReadBundle read(byte[] tar) throws IOException {
    return read(tar, BundleLimits.defaults());
  }

  private ReadBundle read(byte[] tar, BundleLimits limits) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "x");
    return new BundleReader(limits).read(new ByteArrayInputStream(tar), dir);
  }

  private void assertRejected(byte[] tar, String message) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "x");
    assertThatThrownBy(
            () ->
                new BundleReader(BundleLimits.defaults()).read(new ByteArrayInputStream(tar), dir))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining(message);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("nothing left in the extraction directory").isEmpty();
    }
  }

  @Test
  void read_validBundleRewrittenByCommonsCompress_isAccepted() throws Exception {
    ReadBundle bundle = read(tar(valid()));
    assertThat(bundle.artifacts()).hasSize(4);
    assertThat(bundle.checkConsistency()).isNotNull();
  }

  @Test
  void read_writerOutputAndTheRewrite_areByteIdentical() throws Exception {
    assertThat(tar(valid())).isEqualTo(Files.readAllBytes(tmp.resolve("valid.tar")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../evil", "artifacts/../../evil", "artifacts/a/../../../evil", "artifacts/./x"})
  void read_zipSlipNames_areRejected(String name) throws Exception {
    assertRejected(
        tar(validWith(items -> items.add(0, new Item(file(name, 0644), new byte[] {1})))),
        "component");
  }

  @Test
  void read_absoluteName_isRejected() throws Exception {
    assertRejected(
        tar(validWith(items -> items.add(0, new Item(file("/etc/passwd", 0644), new byte[] {1})))),
        "\"/etc/passwd\" is absolute");
    // Through a PAX path record (long name) too: the reader sees the raw name, not a normalised
    // one.
    String longAbsolute = "/artifacts/" + "x".repeat(120);
    assertRejected(
        tar(validWith(items -> items.add(0, new Item(file(longAbsolute, 0644), new byte[] {1})))),
        "is absolute");
  }

  @Test
  void read_symlink_isRejected() throws Exception {
    TarArchiveEntry link = special("artifacts/bin/link", TarConstants.LF_SYMLINK);
    link.setLinkName("/etc/passwd");
    assertRejected(
        tar(validWith(items -> items.add(1, new Item(link, new byte[0])))), "is a symbolic link");
  }

  @Test
  void read_hardlink_isRejected() throws Exception {
    TarArchiveEntry link = special("artifacts/bin/link", TarConstants.LF_LINK);
    link.setLinkName("artifacts/bin/hello");
    assertRejected(
        tar(validWith(items -> items.add(1, new Item(link, new byte[0])))), "is a hard link");
  }

  @Test
  void read_devicesFifoAndDirectory_areRejected() throws Exception {
    assertRejected(
        tar(
            validWith(
                i -> i.add(0, new Item(special("artifacts/a", TarConstants.LF_CHR), new byte[0])))),
        "is a character device");
    assertRejected(
        tar(
            validWith(
                i -> i.add(0, new Item(special("artifacts/a", TarConstants.LF_BLK), new byte[0])))),
        "is a block device");
    assertRejected(
        tar(
            validWith(
                i ->
                    i.add(0, new Item(special("artifacts/a", TarConstants.LF_FIFO), new byte[0])))),
        "is a FIFO");
    assertRejected(
        tar(
            validWith(
                i -> i.add(0, new Item(special("artifacts/", TarConstants.LF_DIR), new byte[0])))),
        "is a directory");
  }

  @Test
  void read_duplicateEntry_isRejected() throws Exception {
    assertRejected(
        tar(validWith(items -> items.add(1, items.get(0)))), "duplicate entry artifacts/bin/hello");
    int report = index(valid(), BundleLayout.REPORT);
    assertRejected(
        tar(validWith(items -> items.add(items.get(report)))), "duplicate entry teec/report.json");
  }

  @Test
  void read_hugeDeclaredSize_isRejectedBeforeReading() throws Exception {
    // Only the header exists: the reader must refuse from the declared size, not try to read 1 GiB.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarArchiveOutputStream out =
        new TarArchiveOutputStream(bytes, 512, StandardCharsets.UTF_8.name());
    TarArchiveEntry huge = file(BundleLayout.ATTESTATION, 0644);
    huge.setSize(1L << 30);
    out.putArchiveEntry(huge);
    out.flush();
    assertRejected(bytes.toByteArray(), "declares 1073741824 bytes, more than the limit 32768");
  }

  @Test
  void read_artifactOverCustomLimits_isRejected() throws Exception {
    BundleLimits small = new BundleLimits(1 << 20, 1 << 20, 1024, 1024, 1000, 1 << 30, 100);
    assertThatThrownBy(() -> read(tar(valid()), small))
        .hasMessageContaining(
            "artifacts/"
                + BundleFixture.LONG_PATH
                + " declares 1500 bytes, more than the limit 1000");
    BundleLimits fewEntries = new BundleLimits(1 << 20, 1 << 20, 1024, 1024, 10_000, 1 << 30, 6);
    assertThatThrownBy(() -> read(tar(valid()), fewEntries))
        .hasMessageContaining("more than 6 entries");
    BundleLimits smallTotal = new BundleLimits(1 << 20, 1 << 20, 1024, 1024, 10_000, 2000, 100);
    assertThatThrownBy(() -> read(tar(valid()), smallTotal))
        .hasMessageContaining("exceed 2000 bytes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"evil.txt", "teec/extra.json", "TEEC/report.json", "artifactsx/a", "zzz/a"})
  void read_unexpectedEntry_isRejected(String name) throws Exception {
    assertRejected(
        tar(
            validWith(
                items -> {
                  items.add(new Item(file(name, 0644), new byte[] {1}));
                  items.sort(
                      (a, b) ->
                          BundleLayout.ENTRY_ORDER.compare(
                              a.entry().getName(), b.entry().getName()));
                })),
        "unexpected entry " + name);
  }

  @Test
  void read_missingParts_areRejected() throws Exception {
    for (String part : BundleLayout.TEEC_ENTRIES) {
      assertRejected(
          tar(validWith(items -> items.remove(index(items, part)))), "bundle lacks " + part);
    }
    assertRejected(
        tar(validWith(items -> items.removeIf(i -> i.entry().getName().startsWith("artifacts/")))),
        "no artifacts/ entry");
  }

  @Test
  void read_entriesOutOfOrder_areRejected() throws Exception {
    assertRejected(
        tar(validWith(items -> items.add(0, items.remove(index(items, BundleLayout.REPORT))))),
        "out of order");
  }

  @Test
  void read_fileAndDirectoryOfTheSameName_areRejected() throws Exception {
    assertRejected(
        tar(
            validWith(
                items -> items.add(1, new Item(file("artifacts/bin/hello/x", 0644), new byte[0])))),
        "lies below artifacts/bin/hello, which is a file");
  }

  @Test
  void read_metadataOtherThanTheWritersIsRejected() throws Exception {
    assertRejected(
        tar(
            validWith(
                items -> items.get(0).entry().setLastModifiedTime(FileTime.fromMillis(1000)))),
        "mtime 1");
    assertRejected(tar(validWith(items -> items.get(0).entry().setUserId(1000))), "uid/gid 1000/0");
    assertRejected(tar(validWith(items -> items.get(0).entry().setGroupId(5))), "uid/gid 0/5");
    assertRejected(
        tar(validWith(items -> items.get(0).entry().setUserName("root"))), "user or group name");
    assertRejected(tar(validWith(items -> items.get(0).entry().setMode(0777))), "mode 777");
    assertRejected(tar(validWith(items -> items.get(0).entry().setMode(0100644))), "mode 100644");
    int log = index(valid(), BundleLayout.BUILD_LOG);
    assertRejected(
        tar(validWith(items -> items.get(log).entry().setMode(0755))), "teec/ entries are 644");
  }

  @Test
  void read_badChecksum_isRejected() throws Exception {
    byte[] bytes = tar(valid());
    bytes[10] ^= 1;
    assertRejected(bytes, "bad checksum");
  }

  @Test
  void read_truncatedArchive_isRejected() throws Exception {
    byte[] bytes = tar(valid());
    assertRejected(Arrays.copyOf(bytes, 515), "archive ends inside entry artifacts/bin/hello");
    assertRejected(Arrays.copyOf(bytes, 600), "archive ends early");
    assertRejected(Arrays.copyOf(bytes, 700), "ends");
    int endOfData = bytes.length;
    while (bytes[endOfData - 1] == 0) {
      endOfData--;
    }
    int lastBlock = (endOfData + 511) / 512 * 512;
    assertRejected(Arrays.copyOf(bytes, lastBlock), "without an end-of-archive marker");
    assertRejected(Arrays.copyOf(bytes, lastBlock + 512), "not followed by a second one");
  }

  @Test
  void read_dataAfterTheEndMarker_isRejected() throws Exception {
    byte[] bytes = tar(valid());
    byte[] garbage = Arrays.copyOf(bytes, bytes.length + 512);
    garbage[bytes.length + 3] = 'x';
    assertRejected(garbage, "non-zero data after the end-of-archive marker");
    assertRejected(
        Arrays.copyOf(bytes, bytes.length + 10240), "bytes after the end-of-archive marker");
    assertThat(read(Arrays.copyOf(bytes, bytes.length - 512)).artifacts()).hasSize(4);
  }

  @Test
  void read_globalPaxHeader_isRejected() throws Exception {
    TarArchiveEntry global =
        special("pax_global_header", TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER);
    global.addPaxHeader("path", "artifacts/x");
    assertRejected(
        tar(validWith(items -> items.add(0, new Item(global, new byte[0])))),
        "a PAX global header");
  }

  @Test
  void read_gnuLongName_isRejected() throws Exception {
    assertRejected(
        tar(valid(), out -> out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU)),
        "GNU long name");
  }

  @Test
  void read_paxRecordOtherThanPath_isRejected() throws Exception {
    assertRejected(
        tar(validWith(items -> items.get(0).entry().addPaxHeader("comment", "hello"))),
        "record \"comment\"");
  }

  @Test
  void read_nameThatIsNotUtf8_isRejected() throws Exception {
    // Latin-1 'é' (0xE9) alone is not UTF-8; the reader rejects at the first header.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out =
        new TarArchiveOutputStream(bytes, StandardCharsets.ISO_8859_1.name())) {
      TarArchiveEntry e = file("artifacts/\u00e9", 0644);
      e.setSize(0);
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
    }
    assertRejected(bytes.toByteArray(), "not NUL-terminated UTF-8");
  }

  @Test
  void read_intoNonEmptyDirectory_isRefused() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "x");
    Files.writeString(dir.resolve("keep"), "mine");
    assertThatThrownBy(
            () ->
                new BundleReader(BundleLimits.defaults())
                    .read(new ByteArrayInputStream(tar(valid())), dir))
        .hasMessageContaining("not empty");
    assertThat(Files.readString(dir.resolve("keep"))).isEqualTo("mine");
  }

  @Test
  void read_inconsistentButWellFormedBundle_passesReadButFailsConsistency() throws Exception {
    ReadBundle bundle =
        read(
            tar(
                validWith(
                    items ->
                        items.set(
                            0,
                            new Item(
                                items.get(0).entry(), "other".getBytes(StandardCharsets.UTF_8))))));
    assertThatThrownBy(bundle::checkConsistency)
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("artifact bin/hello has SHA-256");
  }

  /** The tar's executable bits are attested: flipping one either way fails consistency. */
  @Test
  void read_artifactModeThatIsNotTheReportsOne_passesReadButFailsConsistency() throws Exception {
    ReadBundle removed =
        read(
            tar(
                validWith(
                    items ->
                        items.get(index(items, "artifacts/bin/hello")).entry().setMode(0644))));
    assertThatThrownBy(removed::checkConsistency)
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining(
            "artifact bin/hello has mode 0644 in the tar, the report records 0755");
    ReadBundle added =
        read(
            tar(
                validWith(
                    items -> items.get(index(items, "artifacts/empty")).entry().setMode(0755))));
    assertThatThrownBy(added::checkConsistency)
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("artifact empty has mode 0755 in the tar, the report records 0644");
  }

  /**
   * The PAX path names one file, the ustar name field another: a reader that ignores PAX headers
   * would write {@code ../../../../tmp/PWNED}. Both names must agree.
   */
  @Test
  void read_ustarNameThatIsNotThePaxPath_isRejected() throws Exception {
    String longName = "artifacts/a" + "x".repeat(120);
    byte[] tar = tar(validWith(items -> items.add(0, new Item(file(longName, 0644), new byte[0]))));
    assertRejected(
        withUstarName(tar, "../../../../tmp/PWNED"), "ustar name field that is not the start");
    assertRejected(
        withUstarName(tar, "artifacts/a" + "y".repeat(89)),
        "ustar name field that is not the start");
  }

  /** A name as long as the path rules allow is read and extracted, though no file system has it. */
  @Test
  void read_artifactNameOf4096Bytes_isReadAndExtracted() throws Exception {
    // The entry name artifacts/PATH may have 4,096 bytes: 17 components and 16 slashes.
    String path =
        String.join("/", java.util.Collections.nCopies(16, "a".repeat(239)))
            + "/"
            + "b".repeat(246);
    assertThat("artifacts/" + path).hasSize(4096);
    String name = "artifacts/" + path;
    Path dir = Files.createTempDirectory(tmp, "x");
    ReadBundle read =
        new BundleReader(BundleLimits.defaults())
            .read(
                new ByteArrayInputStream(
                    tar(
                        validWith(
                            items -> items.add(0, new Item(file(name, 0755), new byte[] {7}))))),
                dir);
    ExtractedFile deep = read.artifacts().get(0);
    assertThat(deep.name()).isEqualTo(path);
    assertThat(deep.executable()).isTrue();
    assertThat(Files.readAllBytes(deep.file())).containsExactly(7);
    assertThat(dir.relativize(deep.file()).toString()).isEqualTo("artifacts/1");
  }

  /** Rewrites the ustar name field of the header that follows the first PAX header. */
  private static byte[] withUstarName(byte[] tar, String name) {
    byte[] copy = tar.clone();
    int at = 0;
    while (copy[at + 156] != 'x') {
      at += 512;
    }
    long paxSize = Long.parseLong(new String(copy, at + 124, 11, StandardCharsets.US_ASCII), 8);
    at += 512 + (int) ((paxSize + 511) / 512) * 512;
    Arrays.fill(copy, at, at + 100, (byte) 0);
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, copy, at, bytes.length);
    Arrays.fill(copy, at + 148, at + 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += copy[at + i] & 0xff;
    }
    byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, copy, at + 148, 8);
    return copy;
  }
}
