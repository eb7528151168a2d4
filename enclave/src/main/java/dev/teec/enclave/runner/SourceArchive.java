package dev.teec.enclave.runner;

import dev.teec.digest.Digests;
import dev.teec.formats.files.FileTrees;
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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

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
    return extract(tar, dest, limits, null);
  }

  /**
   * As {@link #extract(InputStream, Path, ArchiveLimits)}, telling {@code observer} (if not null)
   * about every file and directory as it is created.
   */
  public static Extracted extract(
      InputStream tar, Path dest, ArchiveLimits limits, ExtractionObserver observer)
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
      return new ArchiveExtractor(tar, dest, limits, observer).run();
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
    List<ArchiveFile> entries = new ArrayList<>();
    for (Path rel : files) {
      String name = entryName(rel);
      Path file = root.resolve(rel);
      if (!file.toRealPath().equals(file)) {
        throw new IOException(
            name + " goes through a symbolic link; source archives contain regular files only");
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(name + " is not a regular file");
      }
      boolean executable =
          Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
      entries.add(
          new ArchiveFile(
              name,
              executable,
              () ->
                  new ArchiveFile.Content(
                      Files.size(file), Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS))));
    }
    return write(entries, out);
  }

  /**
   * Writes a deterministic tar of {@code files} to {@code out}, in the format of {@link
   * #write(Path, List, OutputStream)}: the same names, executable bits and contents always give the
   * same bytes, whatever the order of {@code files}. Flushes {@code out} but does not close it.
   *
   * @throws IllegalArgumentException for a name that breaks the archive name rules, or a duplicate
   * @throws IOException if a content cannot be read or yields another number of bytes than its size
   */
  public static Written write(List<ArchiveFile> files, OutputStream out) throws IOException {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(out, "out");
    TreeMap<String, ArchiveFile> sorted = new TreeMap<>(Utf8Order.COMPARATOR);
    for (ArchiveFile f : files) {
      String problem = nameProblem(f.name());
      if (problem != null) {
        throw new IllegalArgumentException(f.name() + ": " + problem);
      }
      if (sorted.put(f.name(), f) != null) {
        throw new IllegalArgumentException("duplicate file: " + f.name());
      }
    }
    MessageDigest sha256 = Digests.sha256();
    HashingOutputStream hashing = new HashingOutputStream(out, sha256);
    try (TarArchiveOutputStream tarOut =
        new TarArchiveOutputStream(hashing, StandardCharsets.UTF_8.name())) {
      tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tarOut.setAddPaxHeadersForNonAsciiNames(true);
      for (ArchiveFile f : sorted.values()) {
        ArchiveFile.Content content = f.opener().open();
        try (InputStream in = content.stream()) {
          TarArchiveEntry entry = new TarArchiveEntry(f.name(), true);
          entry.setMode(f.executable() ? MODE_EXECUTABLE : MODE_FILE);
          entry.setIds(0, 0);
          entry.setUserName("");
          entry.setGroupName("");
          entry.setModTime(FileTime.from(FIXED_MTIME));
          entry.setSize(content.size());
          tarOut.putArchiveEntry(entry);
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
