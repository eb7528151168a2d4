package dev.teec.cli.challenge.compare;

import dev.teec.digest.Digests;
import dev.teec.formats.bundle.ExtractedFile;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Compares an original artifact with its rebuild. Files are streamed, never held whole in memory:
 * once for the digests, once to find the first differing byte, and, for two zip (jar) or two tar
 * files, once more per archive to hash each entry.
 *
 * <p>An archive is recognised by its content, not its name: a zip starts with a local file header
 * or an end-of-central-directory record ({@code PK\3\4}, {@code PK\5\6}); a tar has the POSIX
 * {@code ustar} magic at offset 257. Entries are compared by name: bytes (SHA-256 of the
 * uncompressed content), then metadata (modification time, Unix mode, entry type, and for zip the
 * compression method). A damaged archive is reported as such, not as an exception.
 */
public final class ArtifactComparator {
  private static final int BUFFER = 64 * 1024;
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] ZIP_LOCAL = {'P', 'K', 3, 4};
  private static final byte[] ZIP_EMPTY = {'P', 'K', 5, 6};
  private static final byte[] USTAR = {'u', 's', 't', 'a', 'r'};

  private ArtifactComparator() {}

  /**
   * Compares every artifact by name: each original with its rebuilt namesake, then the rebuilt
   * artifacts the original lacks.
   */
  public static List<ArtifactComparison> compareAll(
      List<ExtractedFile> original, List<ExtractedFile> rebuilt) throws IOException {
    Map<String, ExtractedFile> byName = new TreeMap<>();
    rebuilt.forEach(f -> byName.put(f.name(), f));
    List<ArtifactComparison> results = new ArrayList<>();
    for (ExtractedFile a : original) {
      ExtractedFile b = byName.remove(a.name());
      results.add(
          b == null ? missing(a.name(), a.sha256()) : compare(a.name(), a.file(), b.file()));
    }
    byName.values().forEach(b -> results.add(unexpected(b.name(), b.sha256())));
    return results;
  }

  /** An artifact only the original has. */
  public static ArtifactComparison missing(String name, String originalSha256) {
    return new ArtifactComparison(
        name, Verdict.MISMATCH, Optional.of(originalSha256), Optional.empty(), Optional.empty());
  }

  /** An artifact only the rebuild has. */
  public static ArtifactComparison unexpected(String name, String rebuiltSha256) {
    return new ArtifactComparison(
        name, Verdict.MISMATCH, Optional.empty(), Optional.of(rebuiltSha256), Optional.empty());
  }

  /**
   * Compares two regular files.
   *
   * @param name the artifact's declared path, for the result
   * @throws IOException if either file cannot be read
   */
  public static ArtifactComparison compare(String name, Path original, Path rebuilt)
      throws IOException {
    Objects.requireNonNull(name, "name");
    String a = sha256(original);
    String b = sha256(rebuilt);
    if (a.equals(b)) {
      return new ArtifactComparison(
          name, Verdict.MATCH, Optional.of(a), Optional.of(b), Optional.empty());
    }
    long offset = firstDifference(original, rebuilt);
    Optional<ArchiveDifference> archive = Optional.empty();
    String format = format(original);
    if (format != null && format.equals(format(rebuilt))) {
      archive =
          Optional.of(
              format.equals("zip")
                  ? zipDifference(original, rebuilt)
                  : tarDifference(original, rebuilt));
    }
    return new ArtifactComparison(
        name,
        Verdict.MISMATCH,
        Optional.of(a),
        Optional.of(b),
        Optional.of(
            new FirstDifference(Files.size(original), Files.size(rebuilt), offset, archive)));
  }

  /** The first offset where the two files differ, or the shorter size when one is a prefix. */
  static long firstDifference(Path a, Path b) throws IOException {
    try (InputStream x = Files.newInputStream(a, LinkOption.NOFOLLOW_LINKS);
        InputStream y = Files.newInputStream(b, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bx = new byte[BUFFER];
      byte[] by = new byte[BUFFER];
      long offset = 0;
      while (true) {
        int nx = x.readNBytes(bx, 0, BUFFER);
        int ny = y.readNBytes(by, 0, BUFFER);
        int n = Math.min(nx, ny);
        int mismatch = Arrays.mismatch(bx, 0, n, by, 0, n);
        if (mismatch >= 0) {
          return offset + mismatch;
        }
        if (nx != ny || nx == 0) {
          return offset + n;
        }
        offset += n;
      }
    }
  }

  /** {@code zip}, {@code tar} or null, from the file's first bytes. */
  static String format(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      head = in.readNBytes(262);
    }
    if (head.length >= 4
        && (Arrays.equals(head, 0, 4, ZIP_LOCAL, 0, 4)
            || Arrays.equals(head, 0, 4, ZIP_EMPTY, 0, 4))) {
      return "zip";
    }
    if (head.length >= 262 && Arrays.equals(head, 257, 262, USTAR, 0, 5)) {
      return "tar";
    }
    return null;
  }

  /** What is known about one archive entry. */
  private record Entry(String sha256, String metadata) {}

  private static ArchiveDifference zipDifference(Path original, Path rebuilt) {
    try {
      return diff("zip", zipEntries(original), zipEntries(rebuilt));
    } catch (IOException | RuntimeException e) {
      return new ArchiveDifference("zip", List.of(), false, describe(e));
    }
  }

  private static ArchiveDifference tarDifference(Path original, Path rebuilt) {
    try {
      return diff("tar", tarEntries(original), tarEntries(rebuilt));
    } catch (IOException | RuntimeException e) {
      return new ArchiveDifference("tar", List.of(), false, describe(e));
    }
  }

  private static Map<String, Entry> zipEntries(Path file) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
      // Central directory order: the order an unzip lists.
      Enumeration<ZipArchiveEntry> all = zip.getEntries();
      while (all.hasMoreElements()) {
        ZipArchiveEntry e = all.nextElement();
        String sha;
        try (InputStream in = zip.getInputStream(e)) {
          sha = Digests.sha256Hex(in);
        }
        String metadata =
            "time="
                + e.getTime()
                + " mode="
                + Integer.toOctalString(e.getUnixMode())
                + " method="
                + e.getMethod()
                + (e.isDirectory() ? " directory" : "");
        entries.putIfAbsent(e.getName(), new Entry(sha, metadata));
      }
    }
    return entries;
  }

  private static Map<String, Entry> tarEntries(Path file) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (InputStream raw =
            new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), BUFFER);
        TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String sha = Digests.sha256Hex(tar);
        String metadata =
            "time="
                + e.getModTime().getTime()
                + " mode="
                + Integer.toOctalString(e.getMode())
                + " uid="
                + e.getLongUserId()
                + " gid="
                + e.getLongGroupId()
                + " type="
                + (char) linkFlag(e)
                + (e.isSymbolicLink() || e.isLink() ? " link=" + e.getLinkName() : "");
        entries.putIfAbsent(e.getName(), new Entry(sha, metadata));
      }
    }
    return entries;
  }

  private static byte linkFlag(TarArchiveEntry e) {
    if (e.isDirectory()) {
      return '5';
    }
    if (e.isSymbolicLink()) {
      return '2';
    }
    if (e.isLink()) {
      return '1';
    }
    return e.isFile() ? (byte) '0' : (byte) '?';
  }

  private static ArchiveDifference diff(
      String format, Map<String, Entry> original, Map<String, Entry> rebuilt) {
    List<EntryChange> changes = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(original.keySet());
    names.addAll(rebuilt.keySet());
    for (String name : names) {
      Entry a = original.get(name);
      Entry b = rebuilt.get(name);
      if (a == null) {
        changes.add(new EntryChange(name, EntryChange.ADDED, ""));
      } else if (b == null) {
        changes.add(new EntryChange(name, EntryChange.REMOVED, ""));
      } else if (!a.sha256().equals(b.sha256())) {
        changes.add(new EntryChange(name, EntryChange.CONTENT, ""));
      } else if (!a.metadata().equals(b.metadata())) {
        changes.add(
            new EntryChange(name, EntryChange.METADATA, a.metadata() + " -> " + b.metadata()));
      }
    }
    List<String> commonA = original.keySet().stream().filter(rebuilt::containsKey).toList();
    List<String> commonB = rebuilt.keySet().stream().filter(original::containsKey).toList();
    return new ArchiveDifference(format, changes, !commonA.equals(commonB), null);
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** Lower-case hex SHA-256 of a file. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return Digests.sha256Hex(in);
    }
  }
}
