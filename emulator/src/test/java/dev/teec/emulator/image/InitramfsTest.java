package dev.teec.emulator.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.emulator.image.Initramfs.Entry;
import dev.teec.emulator.image.Initramfs.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;

class InitramfsTest {
  /** One entry as read back: name, mode, inode, links, time, data. */
  record Read(String name, long mode, long inode, long links, long time, String data) {}

  @Test
  void write_entriesAddedInAnyOrder_writtenSortedWithSequentialInodesAndFixedMetadata()
      throws Exception {
    Initramfs a = sample(false);
    Initramfs b = sample(true);
    byte[] first = bytes(a);
    assertThat(bytes(b))
        .as("the same entries added in another order give the same bytes")
        .isEqualTo(first);
    List<Read> read = read(first);
    assertThat(read)
        .extracting(Read::name)
        .containsExactly(
            "etc",
            "etc/motd",
            "opt",
            "opt/a.b",
            "opt/a.b/x",
            "opt/run",
            "usr",
            "usr/bin",
            "usr/bin/sh");
    assertThat(read).extracting(Read::inode).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(read).extracting(Read::time).containsOnly(1795252544L);
    assertThat(read.get(1)).isEqualTo(new Read("etc/motd", 0100644, 2, 1, 1795252544L, "hello\n"));
    assertThat(read.get(8)).isEqualTo(new Read("usr/bin/sh", 0120777, 9, 1, 1795252544L, "dash"));
  }

  @Test
  void write_hardLinkGroup_firstInNameOrderHasTheDataTheOthersShareItsInode() throws Exception {
    byte[] data = "#!/usr/bin/perl\n".getBytes(StandardCharsets.UTF_8);
    Initramfs i =
        new Initramfs()
            .add(Entry.directory("usr", 0755, 0))
            .add(Entry.directory("usr/bin", 0755, 0));
    i.add(
        new Entry(
            "usr/bin/perl",
            Kind.FILE,
            0755,
            0,
            0,
            0,
            data.length,
            () -> new ByteArrayInputStream(data),
            null,
            "usr/bin/perl",
            0,
            0));
    i.add(
        new Entry(
            "usr/bin/perl5.40",
            Kind.FILE,
            0755,
            0,
            0,
            0,
            data.length,
            () -> new ByteArrayInputStream(data),
            null,
            "usr/bin/perl",
            0,
            0));
    i.add(
        new Entry(
            "usr/bin/operl",
            Kind.FILE,
            0755,
            0,
            0,
            0,
            data.length,
            () -> new ByteArrayInputStream(data),
            null,
            "usr/bin/perl",
            0,
            0));
    List<Read> read = read(bytes(i));
    assertThat(read)
        .extracting(Read::name)
        .containsExactly("usr", "usr/bin", "usr/bin/operl", "usr/bin/perl", "usr/bin/perl5.40");
    Read first = read.get(2);
    assertThat(first.data()).isEqualTo("#!/usr/bin/perl\n");
    assertThat(first.links()).isEqualTo(3);
    for (Read other : read.subList(3, 5)) {
      assertThat(other.inode()).isEqualTo(first.inode());
      assertThat(other.links()).isEqualTo(3);
      assertThat(other.data()).isEmpty();
    }
  }

  @Test
  void write_entryWithoutItsParentDirectory_refused() {
    Initramfs i =
        new Initramfs()
            .add(Entry.file("opt/x", 0644, 0, 0, () -> new ByteArrayInputStream(new byte[0])));
    assertThatThrownBy(() -> bytes(i)).hasMessageContaining("\"opt/x\" has no parent directory");
  }

  @Test
  void write_contentOfAnotherSizeThanDeclared_fails() {
    Initramfs i =
        new Initramfs()
            .add(Entry.file("x", 0644, 0, 5, () -> new ByteArrayInputStream(new byte[3])));
    assertThatThrownBy(() -> bytes(i)).hasMessageContaining("expected 5 bytes, read 3");
  }

  @Test
  void add_sameNameTwice_refusedExceptForDirectories() {
    Initramfs i =
        new Initramfs().add(Entry.directory("opt", 0755, 0)).add(Entry.directory("opt", 0700, 5));
    assertThat(i.size()).isEqualTo(1);
    i.add(Entry.file("f", 0644, 0, 0, () -> new ByteArrayInputStream(new byte[0])));
    assertThatThrownBy(
            () -> i.add(Entry.file("f", 0644, 0, 0, () -> new ByteArrayInputStream(new byte[0]))))
        .hasMessageContaining("twice");
  }

  @Test
  void entry_pathsThatEscapeOrAreNotNormal_refused() {
    for (String bad :
        new String[] {"/etc", "./etc", "etc/", "a//b", "a/../b", "..", "a/./b", "a\0b", ""}) {
      assertThatThrownBy(() -> Entry.directory(bad, 0755, 0))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static Initramfs sample(boolean reversed) {
    List<Entry> entries =
        new ArrayList<>(
            List.of(
                Entry.directory("etc", 0755, 1795252544L),
                Entry.file(
                    "etc/motd",
                    0644,
                    1795252544L,
                    6,
                    () -> new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8))),
                Entry.directory("opt", 0755, 1795252544L),
                Entry.directory("opt/a.b", 0755, 1795252544L),
                Entry.directory("opt/a.b/x", 0755, 1795252544L),
                new Entry("opt/run", Kind.FIFO, 0600, 0, 0, 1795252544L, 0, null, null, null, 0, 0),
                Entry.directory("usr", 0755, 1795252544L),
                Entry.directory("usr/bin", 0755, 1795252544L),
                new Entry(
                    "usr/bin/sh",
                    Kind.SYMLINK,
                    0777,
                    0,
                    0,
                    1795252544L,
                    0,
                    null,
                    "dash",
                    null,
                    0,
                    0)));
    if (reversed) {
      java.util.Collections.reverse(entries);
    }
    Initramfs i = new Initramfs();
    entries.forEach(i::add);
    return i;
  }

  static byte[] bytes(Initramfs i) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    i.write(out);
    return out.toByteArray();
  }

  static List<Read> read(byte[] cpio) throws Exception {
    List<Read> read = new ArrayList<>();
    try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(cpio))) {
      for (CpioArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        read.add(
            new Read(
                e.getName(),
                e.getMode(),
                e.getInode(),
                e.getNumberOfLinks(),
                e.getTime(),
                new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return read;
  }
}
