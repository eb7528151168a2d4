package dev.teec.enclave.git;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Rewrites a tar with one more, empty, directory entry: what a hand-made client could send. */
final class TarWithDirectory {
  private TarWithDirectory() {}

  static byte[] append(byte[] tar, String directory) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveInputStream in =
            new TarArchiveInputStream(
                new ByteArrayInputStream(tar), StandardCharsets.UTF_8.name());
        TarArchiveOutputStream tarOut =
            new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tarOut.setAddPaxHeadersForNonAsciiNames(true);
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        tarOut.putArchiveEntry(e);
        in.transferTo(tarOut);
        tarOut.closeArchiveEntry();
      }
      tarOut.putArchiveEntry(new TarArchiveEntry(directory));
      tarOut.closeArchiveEntry();
    }
    return out.toByteArray();
  }
}
