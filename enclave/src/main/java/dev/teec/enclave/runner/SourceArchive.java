package dev.teec.enclave.runner;

import dev.teec.formats.files.FileTrees;
import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * The source archive: a tar of regular files, written deterministically by the client and read
 * defensively by the worker (spec part "W2. Running the build", source archive).
 */
public final class SourceArchive {
  /**
   * Modification time of every entry written and of every file and directory extracted:
   * 1980-01-01T00:00:00Z, the earliest time ZIP and JAR can store, so that builds that archive
   * sources unchanged do not fail on it.
   */
  public static final Instant FIXED_MTIME = Instant.ofEpochSecond(315_532_800L);

  /** Longest entry name accepted, in UTF-8 bytes; one segment may have at most 255. */
  public static final int MAX_NAME_BYTES = 4096;

  // headers (including PAX records and GNU long names) read between two entries
  private static final long MAX_HEADER_BYTES = (1 << 20) + 10240;
  private static final long MAX_METADATA_BYTES = 1 << 20;
  private static final int TYPE_OFFSET = 156;
  private static final int SIZE_OFFSET = 124;
  private static final int SIZE_LENGTH = 12;
  private static final int MODE_FILE = 0100644;
  private static final int MODE_EXECUTABLE = 0100755;

  private SourceArchive() {}

  /**
   * What {@link #extract} read.
   *
   * @param sha256 lower-case hex SHA-256 of every byte read from the stream (the archive as
   *     received, including end-of-archive padding)
   * @param archiveBytes bytes read from the stream
   * @param files regular files written
   * @param directories directories created (explicit and implied)
   * @param contentBytes sum of file sizes
   */
  public record Extracted(
      String sha256, long archiveBytes, int files, int directories, long contentBytes) {}

  /**
   * What {@link #write} produced.
   *
   * @param sha256 lower-case hex SHA-256 of the bytes written
   * @param size bytes written
   * @param entries number of file entries
   */
  public record Written(String sha256, long size, int entries) {}

  /**
   * Extracts a tar into {@code dest}, which must be an empty directory (or not exist). Reads the
   * stream to its end; does not close it.
   *
   * <p>Accepted: regular files and directories with relative names (a leading {@code ./} is
   * ignored). Rejected, before any content of the entry is read: absolute names, {@code ..} or
   * {@code .} segments, empty segments, backslashes, control characters, names longer than {@value
   * #MAX_NAME_BYTES} bytes; symbolic and hard links, devices, FIFOs, sparse files and any other
   * entry type; duplicate names and a file where a directory is needed (or the reverse); sizes,
   * totals and counts over {@code limits}; non-zero data after the end of the archive. Files get
   * mode 0755 when any execute bit is set in the entry and 0644 otherwise, directories 0755; owners
   * are not restored; every mtime is {@link #FIXED_MTIME}.
   *
   * @throws SourceArchiveException for a rule broken or a corrupt archive; {@code dest} is then
   *     emptied again
   */
  public static Extracted extract(InputStream tar, Path dest, ArchiveLimits limits)
      throws IOException {
    Objects.requireNonNull(tar, "tar");
    Objects.requireNonNull(dest, "dest");
    Objects.requireNonNull(limits, "limits");
    Files.createDirectories(dest);
    try (Stream<Path> existing = Files.list(dest)) {
      if (existing.findAny().isPresent()) {
        throw new IllegalArgumentException("extraction target is not empty: " + dest);
      }
    }
    try {
      return new Extractor(tar, dest, limits).run();
    } catch (IOException | RuntimeException e) {
      try (Stream<Path> created = Files.list(dest)) {
        for (Path p : (Iterable<Path>) created::iterator) {
          FileTrees.delete(p);
        }
      }
      throw e;
    }
  }

  /**
   * Writes a deterministic tar of {@code files} (paths relative to {@code dir}) to {@code out}:
   * entries sorted by the UTF-8 bytes of their '/'-separated names, regular files only (no
   * directory entries), POSIX ustar with PAX records for long or non-ASCII names, uid/gid 0, empty
   * owner names, mtime {@link #FIXED_MTIME}, mode 0755 when the owner may execute the file and 0644
   * otherwise. The same files with the same content always give the same bytes, whatever the order
   * of {@code files}. Flushes {@code out} but does not close it.
   *
   * @throws IllegalArgumentException for an absolute path, a path with {@code ..}, or a duplicate
   * @throws IOException if a path is not a regular file, goes through a symbolic link, or cannot be
   *     read
   */
  public static Written write(Path dir, List<Path> files, OutputStream out) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(out, "out");
    Path root = dir.toRealPath();
    TreeMap<String, Path> sorted = new TreeMap<>(Utf8Order.COMPARATOR);
    for (Path rel : files) {
      String name = entryName(rel);
      Path file = root.resolve(rel);
      if (sorted.put(name, file) != null) {
        throw new IllegalArgumentException("duplicate file: " + name);
      }
      if (!file.toRealPath().equals(file)) {
        throw new IOException(
            name + " goes through a symbolic link; source archives contain regular files only");
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(name + " is not a regular file");
      }
    }
    MessageDigest sha256 = Digests.sha256();
    HashingOutputStream hashing = new HashingOutputStream(out, sha256);
    try (TarArchiveOutputStream tarOut =
        new TarArchiveOutputStream(hashing, StandardCharsets.UTF_8.name())) {
      tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tarOut.setAddPaxHeadersForNonAsciiNames(true);
      for (var e : sorted.entrySet()) {
        Path file = e.getValue();
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        boolean executable =
            Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
        entry.setMode(executable ? MODE_EXECUTABLE : MODE_FILE);
        entry.setIds(0, 0);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(FileTime.from(FIXED_MTIME));
        entry.setSize(Files.size(file));
        tarOut.putArchiveEntry(entry);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
          in.transferTo(tarOut);
        }
        tarOut.closeArchiveEntry();
      }
      tarOut.finish();
    }
    return new Written(Digests.hex(sha256), hashing.count, sorted.size());
  }

  /**
   * Every regular file below {@code dir}, as relative paths sorted like the archive entries;
   * convenient input for {@link #write}.
   *
   * @throws IOException if the tree holds a symbolic link or a special file, which a source archive
   *     cannot carry
   */
  public static List<Path> listFiles(Path dir) throws IOException {
    Path root = dir.toRealPath();
    TreeMap<String, Path> found = new TreeMap<>(Utf8Order.COMPARATOR);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path rel = root.relativize(file);
            if (!attrs.isRegularFile()) {
              throw new IOException(
                  rel
                      + " is "
                      + (attrs.isSymbolicLink() ? "a symbolic link" : "not a regular file")
                      + "; source archives contain regular files only");
            }
            found.put(entryName(rel), rel);
            return FileVisitResult.CONTINUE;
          }
        });
    return List.copyOf(found.values());
  }

  private static String entryName(Path rel) {
    if (rel.isAbsolute()) {
      throw new IllegalArgumentException("path must be relative: " + rel);
    }
    List<String> parts = new ArrayList<>();
    for (Path p : rel) {
      String s = p.toString();
      if (s.equals("..") || s.equals(".") || s.isEmpty()) {
        throw new IllegalArgumentException("path must not contain '.' or '..': " + rel);
      }
      parts.add(s);
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("empty path");
    }
    String name = String.join("/", parts);
    String problem = nameProblem(name);
    if (problem != null) {
      throw new IllegalArgumentException(rel + ": " + problem);
    }
    return name;
  }

  /** The rule a normalised entry name breaks, or null. */
  static String nameProblem(String name) {
    if (name.isEmpty()) {
      return "empty name";
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return "name longer than " + MAX_NAME_BYTES + " bytes";
    }
    if (name.startsWith("/")) {
      return "absolute name";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "control character in name";
      }
      if (c == '\\') {
        return "backslash in name";
      }
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty()) {
        return "empty path segment";
      }
      if (segment.equals("..")) {
        return "'..' segment";
      }
      if (segment.equals(".")) {
        return "'.' segment";
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > 255) {
        return "path segment longer than 255 bytes";
      }
    }
    return null;
  }

  /** One extraction; holds the bookkeeping for duplicates and limits. */
  private static final class Extractor {
    private final Path dest;
    private final ArchiveLimits limits;
    private final MeteredInputStream metered;
    private final MessageDigest sha256 = Digests.sha256();
    private final Set<String> explicit = new HashSet<>();
    private final Set<String> directories = new HashSet<>();
    private final Set<String> files = new HashSet<>();
    private final List<Path> createdDirs = new ArrayList<>();
    private long contentBytes;
    private int entries;

    Extractor(InputStream tar, Path dest, ArchiveLimits limits) {
      this.dest = dest;
      this.limits = limits;
      this.metered = new MeteredInputStream(new BufferedInputStream(tar, 64 * 1024), sha256);
    }

    Extracted run() throws IOException {
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
      FileTime fixed = FileTime.from(FIXED_MTIME);
      for (Path d : createdDirs) {
        Files.setLastModifiedTime(d, fixed);
      }
      return new Extracted(
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
      String problem = nameProblem(name);
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
      boolean executable = (entry.getMode() & 0111) != 0;
      Files.setPosixFilePermissions(
          target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
      Files.setLastModifiedTime(target, FileTime.from(FIXED_MTIME));
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

  /** Hashes and counts what passes through; closing only flushes, the caller owns the stream. */
  private static final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest digest;
    private long count;

    HashingOutputStream(OutputStream out, MessageDigest digest) {
      super(out);
      this.digest = digest;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
