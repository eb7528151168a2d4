package dev.teec.formats.bundle;

import dev.teec.digest.Digests;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.Subject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes the bundle tar of SPEC W6 deterministically: the same contents give the same bytes.
 *
 * <p>Entries are sorted by {@link BundleLayout#ENTRY_ORDER}; every header has mtime 0, uid and gid
 * 0, empty user and group names, mode 0644 (0755 for executable outputs); only regular files (no
 * directory entries, links or devices); POSIX ustar, with a PAX {@code path} record for names of
 * 100 bytes or more or with non-ASCII characters; 10240-byte records.
 *
 * <p>Before writing, the parts must pass {@link BundleConsistency} (with each artifact's declared
 * digest and executable bit) and the default {@link BundleLimits}; while writing, every file's
 * bytes must match its declared digest (the report's) and must not change size, so a bundle never
 * holds an output or log other than the one the report describes. The file appears atomically:
 * written to a temporary file in the same directory, forced to disk, renamed over {@code out}, and
 * the directory forced.
 */
public final class BundleWriter {
  private static final int RECORD_SIZE = 10240;

  private BundleWriter() {}

  /** A tar entry to write: either in-memory bytes or a file whose digest is known in advance. */
  private record Entry(String name, int mode, byte[] bytes, Path file, String expectedSha256) {}

  /**
   * Writes {@code contents} to {@code out}, replacing any file there.
   *
   * @throws BundleFormatException if the parts are inconsistent, too large, or a file changed
   * @throws IOException if writing fails; no partial file is left at {@code out}
   */
  public static WrittenBundle write(Path out, BundleContents contents) throws IOException {
    BundleLimits limits = BundleLimits.defaults();
    byte[] report = contents.reportJson();
    byte[] dsse = contents.reportDsseJson();
    byte[] attestation = contents.attestationCbor();
    checkSize(BundleLayout.REPORT, report.length, limits);
    checkSize(BundleLayout.REPORT_DSSE, dsse.length, limits);
    checkSize(BundleLayout.ATTESTATION, attestation.length, limits);
    if (attestation.length == 0) {
      throw new BundleFormatException(BundleLayout.ATTESTATION + " is empty");
    }
    if (contents.artifacts().size() + BundleLayout.TEEC_ENTRIES.size() > limits.maxEntries()) {
      throw new BundleFormatException(
          contents.artifacts().size() + " artifacts are more than a bundle may hold");
    }

    List<Subject> declared = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    for (BundleArtifact a : contents.artifacts()) {
      String name = BundleLayout.artifactEntry(a.path());
      declared.add(new Subject(a.path(), a.sha256(), a.executable()));
      entries.add(
          new Entry(name, BundleLayout.artifactMode(a.executable()), null, a.file(), a.sha256()));
    }
    ProvenanceReport parsed;
    try {
      parsed = ProvenanceReport.parse(report);
    } catch (IOException e) {
      throw new BundleFormatException(
          BundleLayout.REPORT + " is not a valid report: " + e.getMessage(), e);
    }
    BundleConsistency.check(report, dsse, parsed.buildLogSha256(), declared);
    entries.add(new Entry(BundleLayout.REPORT, BundleLayout.FILE_MODE, report, null, null));
    entries.add(new Entry(BundleLayout.REPORT_DSSE, BundleLayout.FILE_MODE, dsse, null, null));
    entries.add(
        new Entry(BundleLayout.ATTESTATION, BundleLayout.FILE_MODE, attestation, null, null));
    entries.add(
        new Entry(
            BundleLayout.BUILD_LOG,
            BundleLayout.FILE_MODE,
            null,
            contents.buildLog(),
            parsed.buildLogSha256()));
    entries.sort((x, y) -> BundleLayout.ENTRY_ORDER.compare(x.name(), y.name()));
    PathSet names = new PathSet();
    for (Entry e : entries) {
      names.add(e.name());
    }

    Path target = out.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      MessageDigest tarDigest = Digests.sha256();
      long size;
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        CountingOutputStream counter = new CountingOutputStream(Channels.newOutputStream(channel));
        BufferedOutputStream buffered =
            new BufferedOutputStream(new DigestOutputStream(counter, tarDigest), 64 * 1024);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(buffered, RECORD_SIZE, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_ERROR);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        long total = 0;
        for (Entry e : entries) {
          total += writeEntry(tar, e, limits);
          if (total > limits.maxTotalBytes()) {
            throw new BundleFormatException(
                "bundle contents exceed " + limits.maxTotalBytes() + " bytes");
          }
        }
        tar.finish();
        buffered.flush();
        channel.force(true);
        size = counter.count;
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename atomically into " + dir + ": " + e.getMessage(), e);
      }
      moved = true;
      forceDirectory(dir);
      return new WrittenBundle(target, size, HexFormat.of().formatHex(tarDigest.digest()));
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void checkSize(String name, long size, BundleLimits limits)
      throws BundleFormatException {
    long limit = limits.limitFor(name);
    if (size > limit) {
      throw new BundleFormatException(
          name + " is " + size + " bytes, more than the limit " + limit);
    }
  }

  /** Writes one entry; returns its size. */
  private static long writeEntry(TarArchiveOutputStream tar, Entry e, BundleLimits limits)
      throws IOException {
    long size;
    if (e.bytes() != null) {
      size = e.bytes().length;
    } else {
      BasicFileAttributes attrs =
          Files.readAttributes(e.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isRegularFile()) {
        throw new BundleFormatException(
            "source of " + e.name() + " (" + e.file() + ") is not a regular file");
      }
      size = attrs.size();
    }
    checkSize(e.name(), size, limits);
    TarArchiveEntry header = new TarArchiveEntry(e.name());
    header.setSize(size);
    header.setMode(e.mode());
    header.setLastModifiedTime(FileTime.fromMillis(0));
    header.setUserId(0);
    header.setGroupId(0);
    header.setUserName("");
    header.setGroupName("");
    tar.putArchiveEntry(header);
    if (e.bytes() != null) {
      tar.write(e.bytes());
    } else {
      copyExactly(e, size, tar);
    }
    tar.closeArchiveEntry();
    return size;
  }

  /** Copies exactly {@code size} bytes of the entry's file and checks their digest. */
  private static void copyExactly(Entry e, long size, OutputStream out) throws IOException {
    MessageDigest digest = Digests.sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(e.file(), LinkOption.NOFOLLOW_LINKS)) {
      long remaining = size;
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new BundleFormatException(e.file() + " shrank while being bundled as " + e.name());
        }
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
        remaining -= n;
      }
      if (in.read() >= 0) {
        throw new BundleFormatException(e.file() + " grew while being bundled as " + e.name());
      }
    }
    String actual = Digests.hex(digest);
    if (!actual.equals(e.expectedSha256())) {
      throw new BundleFormatException(
          e.name() + " has SHA-256 " + actual + ", the report records " + e.expectedSha256());
    }
  }

  private static void forceDirectory(Path dir) throws IOException {
    // Makes the rename durable; Linux allows fsync on a directory opened for reading.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** Counts the bytes that reach the file. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
