package dev.teec.emulator.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsTarTest {
  @TempDir Path temp;

  @Test
  void addTo_mmdebstrapStyleTar_keepsKindsOwnersModesTimesAndHardLinks() throws Exception {
    Path tar = temp.resolve("rootfs.tar");
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      entry(t, dir("./"));
      entry(t, dir("./dev/"));
      TarArchiveEntry console = new TarArchiveEntry("./dev/console", TarConstants.LF_CHR);
      console.setDevMajor(5);
      console.setDevMinor(1);
      console.setMode(0620);
      entry(t, console);
      entry(t, dir("./usr/"));
      entry(t, dir("./usr/bin/"));
      byte[] perl = "perl".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry("./usr/bin/perl");
      file.setSize(perl.length);
      file.setMode(0755);
      file.setIds(0, 2);
      file.setModTime(1_700_000_000_000L);
      t.putArchiveEntry(file);
      t.write(perl);
      t.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("./usr/bin/perl5.40", TarConstants.LF_LINK);
      link.setLinkName("./usr/bin/perl");
      link.setMode(0755);
      entry(t, link);
      TarArchiveEntry sym = new TarArchiveEntry("./usr/bin/sh", TarConstants.LF_SYMLINK);
      sym.setLinkName("dash");
      entry(t, sym);
    }
    Initramfs initramfs = new Initramfs();
    try (RootfsTar r = new RootfsTar(tar)) {
      r.addTo(initramfs);
      List<InitramfsTest.Read> read = InitramfsTest.read(InitramfsTest.bytes(initramfs));
      assertThat(read)
          .extracting(InitramfsTest.Read::name)
          .containsExactly(
              "dev",
              "dev/console",
              "usr",
              "usr/bin",
              "usr/bin/perl",
              "usr/bin/perl5.40",
              "usr/bin/sh");
      assertThat(read.get(1).mode()).isEqualTo(0020620);
      assertThat(read.get(4))
          .isEqualTo(new InitramfsTest.Read("usr/bin/perl", 0100755, 5, 2, 1_700_000_000L, "perl"));
      assertThat(read.get(5).inode()).isEqualTo(5);
      assertThat(read.get(5).data()).isEmpty();
      assertThat(read.get(6).data()).isEqualTo("dash");
    }
  }

  @Test
  void name_tarSpellings_normalized() {
    assertThat(RootfsTar.name("./usr/bin/")).isEqualTo("usr/bin");
    assertThat(RootfsTar.name("./")).isEmpty();
    assertThat(RootfsTar.name(".")).isEmpty();
    assertThat(RootfsTar.name("etc/x")).isEqualTo("etc/x");
  }

  private static TarArchiveEntry dir(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0755);
    return e;
  }

  private static void entry(TarArchiveOutputStream t, TarArchiveEntry e) throws Exception {
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }
}
