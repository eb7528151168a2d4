package dev.teec.enclave.runner;

import dev.teec.digest.Digests;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * One run of {@link SourceArchive#extract}: reads the tar defensively and holds the bookkeeping for
 * duplicates and limits (SPEC.md W2, source archive, reader rules).
 */
final class ArchiveExtractor {
  // headers (including PAX records and GNU long names) read between two entries
  private static final long MAX_HEADER_BYTES = (1 << 20) + 10240;
  private static final long MAX_METADATA_BYTES = 1 << 20;
  private static final int TYPE_OFFSET = 156;
  private static final int SIZE_OFFSET = 124;
  private static final int SIZE_LENGTH = 12;

  private final Path dest;
  private final ArchiveLimits limits;
  private final ExtractionObserver observer;
  private final MeteredInputStream metered;
  private final MessageDigest sha256 = Digests.sha256();
  private final Set<String> explicit = new HashSet<>();
  private final Set<String> directories = new HashSet<>();
  private final Set<String> files = new HashSet<>();
  private final List<Path> createdDirs = new ArrayList<>();
  private long contentBytes;
  private int entries;

  ArchiveExtractor(InputStream tar, Path dest, ArchiveLimits limits, ExtractionObserver observer) {
    this.dest = dest;
    this.limits = limits;
    this.observer = observer;
    this.metered = new MeteredInputStream(new BufferedInputStream(tar, 64 * 1024), sha256);
  }

  SourceArchive.Extracted run() throws IOException {
    TarArchiveInputStream in = new StrictTarInputStream(metered);
    while (true) {
      headerWindow();
      TarArchiveEntry entry;
      try {
        entry = in.getNextEntry();
      } catch (IOException | RuntimeException e) {
        IOException ours = ownCause(e);
        if (ours != null) {
          throw new SourceArchiveException(null, ours.getMessage(), e);
        }
        throw new SourceArchiveException(null, "corrupt tar: " + e.getMessage(), e);
      }
      if (entry == null) {
        break;
      }
      entry(in, entry);
    }
    drainTrailer();
    FileTime fixed = FileTime.from(SourceArchive.FIXED_MTIME);
    for (Path d : createdDirs) {
      Files.setLastModifiedTime(d, fixed);
    }
    return new SourceArchive.Extracted(
        Digests.hex(sha256), metered.count(), files.size(), directories.size(), contentBytes);
  }

  private void headerWindow() {
    long window = Math.min(metered.count() + MAX_HEADER_BYTES, limits.maxArchiveBytes());
    metered.limit(
        window,
        window == limits.maxArchiveBytes()
            ? "the archive is larger than " + limits.maxArchiveBytes() + " bytes"
            : "tar headers between two entries exceed " + MAX_HEADER_BYTES + " bytes");
  }

  private void entry(TarArchiveInputStream in, TarArchiveEntry entry) throws IOException {
    String raw = entry.getName();
    if (++entries > limits.maxEntries()) {
      throw new SourceArchiveException(raw, "more than " + limits.maxEntries() + " entries");
    }
    byte flag = entry.getLinkFlag();
    boolean trailingSlash = raw.endsWith("/");
    boolean plain = flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM;
    boolean isDir = flag == TarConstants.LF_DIR || (plain && trailingSlash);
    boolean isFile = !trailingSlash && (plain || flag == TarConstants.LF_CONTIG);
    if (entry.isSparse() || (!isDir && !isFile)) {
      throw new SourceArchiveException(
          raw,
          "unsupported entry type: "
              + describe(entry)
              + "; source archives contain regular files and directories only");
    }
    String name = raw.startsWith("./") ? raw.substring(2) : raw;
    if (isDir && name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    if (isDir && (name.isEmpty() || name.equals("."))) {
      checkEmpty(raw, entry);
      return; // the root directory itself
    }
    String problem = SourceArchive.nameProblem(name);
    if (problem != null) {
      throw new SourceArchiveException(raw, problem);
    }
    if (!explicit.add(name)) {
      throw new SourceArchiveException(raw, "duplicate entry");
    }
    long size = entry.getSize();
    if (size < 0) {
      throw new SourceArchiveException(raw, "negative size");
    }
    if (isDir) {
      checkEmpty(raw, entry);
      if (files.contains(name)) {
        throw new SourceArchiveException(raw, "directory has the name of a file");
      }
      directory(raw, name);
      return;
    }
    if (size > limits.maxEntryBytes()) {
      throw new SourceArchiveException(
          raw,
          "declared size "
              + size
              + " exceeds the limit of "
              + limits.maxEntryBytes()
              + " bytes per file");
    }
    if (contentBytes + size > limits.maxTotalBytes()) {
      throw new SourceArchiveException(
          raw, "the files exceed the limit of " + limits.maxTotalBytes() + " bytes in total");
    }
    if (directories.contains(name)) {
      throw new SourceArchiveException(raw, "file has the name of a directory");
    }
    int slash = name.lastIndexOf('/');
    if (slash > 0) {
      directory(raw, name.substring(0, slash));
    }
    contentBytes += size;
    files.add(name);
    file(in, entry, raw, name, size);
  }

  private void checkEmpty(String raw, TarArchiveEntry entry) throws SourceArchiveException {
    if (entry.getSize() != 0) {
      throw new SourceArchiveException(raw, "directory entry with content");
    }
  }

  /** Creates a directory and its parents, refusing to pass through a file. */
  private void directory(String raw, String name) throws IOException {
    List<String> missing = new ArrayList<>();
    for (String d = name; d != null && !directories.contains(d); d = parent(d)) {
      if (files.contains(d)) {
        throw new SourceArchiveException(raw, "\"" + d + "\" is a file, not a directory");
      }
      missing.add(0, d);
    }
    for (String d : missing) {
      Path p = dest.resolve(d);
      Files.createDirectory(p);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      directories.add(d);
      createdDirs.add(p);
      if (observer != null) {
        observer.directory(d);
      }
    }
  }

  private static String parent(String name) {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? null : name.substring(0, slash);
  }

  private void file(
      TarArchiveInputStream in, TarArchiveEntry entry, String raw, String name, long size)
      throws IOException {
    Path target = dest.resolve(name);
    // content plus the padding to the next 512-byte record
    long window = Math.min(metered.count() + size + 512, limits.maxArchiveBytes());
    metered.limit(window, "the archive is larger than " + limits.maxArchiveBytes() + " bytes");
    long copied = 0;
    boolean executable = (entry.getMode() & 0111) != 0;
    OutputStream observed =
        observer == null ? OutputStream.nullOutputStream() : observer.file(name, executable, size);
    try (OutputStream out =
        Files.newOutputStream(
            target,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        copied += n;
        out.write(buf, 0, n);
        observed.write(buf, 0, n);
      }
    } catch (IOException e) {
      IOException ours = ownCause(e);
      throw new SourceArchiveException(
          raw,
          ours != null ? ours.getMessage() : "cannot read or write content: " + e.getMessage(),
          e);
    }
    if (copied != size) {
      throw new SourceArchiveException(raw, "truncated: " + copied + " of " + size + " bytes");
    }
    observed.close();
    Files.setPosixFilePermissions(
        target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    Files.setLastModifiedTime(target, FileTime.from(SourceArchive.FIXED_MTIME));
  }

  /** After the end-of-archive records only zero padding may follow; it is hashed too. */
  private void drainTrailer() throws IOException {
    metered.limit(
        limits.maxArchiveBytes(),
        "the archive is larger than " + limits.maxArchiveBytes() + " bytes");
    metered.requireZeros();
    try {
      metered.transferTo(OutputStream.nullOutputStream());
    } catch (MeteredInputStream.LimitReached | MeteredInputStream.TrailingData e) {
      throw new SourceArchiveException(null, e.getMessage(), e);
    }
  }

  /** The limit or trailer violation behind an exception from the tar reader, if any. */
  private static IOException ownCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MeteredInputStream.LimitReached
          || t instanceof MeteredInputStream.TrailingData) {
        return (IOException) t;
      }
    }
    return null;
  }

  private static String describe(TarArchiveEntry e) {
    if (e.isSymbolicLink()) {
      return "symbolic link to \"" + e.getLinkName() + "\"";
    }
    if (e.isLink()) {
      return "hard link to \"" + e.getLinkName() + "\"";
    }
    if (e.isCharacterDevice()) {
      return "character device";
    }
    if (e.isBlockDevice()) {
      return "block device";
    }
    if (e.isFIFO()) {
      return "FIFO";
    }
    if (e.isSparse()) {
      return "sparse file";
    }
    return "type flag '" + (char) e.getLinkFlag() + "'";
  }

  /**
   * Checks each header record as the tar reader takes it, before the reader acts on it: the
   * checksum must verify, metadata entries the reader buffers in memory (PAX, GNU long names) must
   * be small, the archive must end with an end-of-archive record, and everything after that record
   * must be zero.
   */
  private static final class StrictTarInputStream extends TarArchiveInputStream {
    private final MeteredInputStream metered;

    StrictTarInputStream(MeteredInputStream metered) {
      super(metered, StandardCharsets.UTF_8.name());
      this.metered = metered;
    }

    @Override
    protected byte[] readRecord() throws IOException {
      byte[] record = super.readRecord();
      if (record == null) {
        if (!metered.zerosRequired()) {
          throw new IOException("the archive ends without an end-of-archive record (truncated?)");
        }
        return null;
      }
      if (isEOFRecord(record)) {
        metered.requireZeros();
        return record;
      }
      if (!TarUtils.verifyCheckSum(record)) {
        throw new IOException(
            "header checksum mismatch at byte " + (metered.count() - record.length));
      }
      byte type = record[TYPE_OFFSET];
      if (type == TarConstants.LF_PAX_EXTENDED_HEADER_LC
          || type == TarConstants.LF_PAX_EXTENDED_HEADER_UC
          || type == TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER
          || type == TarConstants.LF_GNUTYPE_LONGNAME
          || type == TarConstants.LF_GNUTYPE_LONGLINK) {
        long size = TarUtils.parseOctalOrBinary(record, SIZE_OFFSET, SIZE_LENGTH);
        if (size < 0 || size > MAX_METADATA_BYTES) {
          throw new MeteredInputStream.LimitReached(
              "tar headers between two entries exceed "
                  + MAX_HEADER_BYTES
                  + " bytes (a metadata entry declares "
                  + size
                  + " bytes)");
        }
      }
      return record;
    }
  }
}
