package dev.teec.formats.bundle;

import dev.teec.digest.Digests;
import dev.teec.formats.report.ArtifactPaths;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a bundle tar strictly (SPEC W6) for verification.
 *
 * <p>Rejected, before any of the entry's content is read: anything but regular files (links,
 * devices, directories, FIFOs, global or GNU headers), absolute names, {@code ..} or empty
 * components, names outside the layout ({@code teec/attestation.cbor}, {@code teec/build.log},
 * {@code teec/report.dsse.json}, {@code teec/report.json}, {@code artifacts/<path>}), duplicates,
 * entries out of order, a name that is both a file and a directory, declared sizes above the {@link
 * BundleLimits}, headers that differ from what {@link BundleWriter} writes (checksum, mtime, owner,
 * mode, names). Afterwards: each {@code teec/} entry present once, at least one artifact, nothing
 * after the end-of-archive marker but zero padding.
 *
 * <p>The three small {@code teec/} parts are returned in memory. The build log is written to {@code
 * teec/build.log} below {@code extractDir} and the outputs to {@code artifacts/1}, {@code
 * artifacts/2}, ... in entry order, never at their names: a name may be up to 4,096 bytes deep
 * below the extraction directory, which the file system need not accept, and creating its
 * directories would cost time quadratic in its depth. Each file is created fresh (never through an
 * existing file or link), mode 0644 or 0755. On any failure everything written below {@code
 * extractDir} is deleted again.
 *
 * <p>Consistency between the parts is a separate step, {@link ReadBundle#checkConsistency()}.
 */
public final class BundleReader {
  private final BundleLimits limits;

  /** A reader enforcing {@code limits}. */
  public BundleReader(BundleLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Reads the bundle file {@code tar}; see {@link #read(InputStream, Path)}. */
  public ReadBundle read(Path tar, Path extractDir) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 64 * 1024)) {
      return read(in, extractDir);
    }
  }

  /**
   * Reads a bundle from {@code in} (to its end) and extracts the build log and outputs into {@code
   * extractDir}, which must be an existing empty directory.
   *
   * @throws BundleFormatException saying what breaks the layout, and where
   */
  public ReadBundle read(InputStream in, Path extractDir) throws IOException {
    Path root = extractDir.toAbsolutePath().normalize();
    requireEmptyDirectory(root);
    try {
      return new Extraction(root).run(new TarScanner(in));
    } catch (IOException | RuntimeException e) {
      deleteContents(root);
      throw e;
    }
  }

  /** The state of one read. */
  private final class Extraction {
    private final Path root;
    private final PathSet names = new PathSet();
    private final Map<String, byte[]> small = new HashMap<>();
    private final List<ExtractedFile> artifacts = new ArrayList<>();
    private ExtractedFile buildLog;
    private String previous;
    private int entries;
    private long total;

    Extraction(Path root) {
      this.root = root;
    }

    ReadBundle run(TarScanner scanner) throws IOException {
      for (TarScanner.Header h = scanner.next(this::admit);
          h != null;
          h = scanner.next(this::admit)) {
        total += h.size();
        if (total > limits.maxTotalBytes()) {
          throw new BundleFormatException(
              "bundle contents exceed " + limits.maxTotalBytes() + " bytes at entry " + h.name());
        }
        boolean executable = h.mode() == BundleLayout.EXECUTABLE_MODE;
        if (h.name().startsWith(BundleLayout.ARTIFACTS_PREFIX)) {
          ExtractedFile f =
              extract(
                  scanner, h, BundleLayout.ARTIFACTS_PREFIX + (artifacts.size() + 1), executable);
          artifacts.add(
              new ExtractedFile(
                  h.name().substring(BundleLayout.ARTIFACTS_PREFIX.length()),
                  f.file(),
                  f.size(),
                  f.sha256(),
                  executable));
          continue;
        }
        if (executable) {
          throw new BundleFormatException(
              "entry " + h.name() + " has mode 755; teec/ entries are 644");
        }
        if (h.name().equals(BundleLayout.BUILD_LOG)) {
          buildLog = extract(scanner, h, BundleLayout.BUILD_LOG, false);
        } else {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) h.size());
          scanner.copyContent(bytes, h.name());
          small.put(h.name(), bytes.toByteArray());
        }
      }
      for (String required :
          List.of(BundleLayout.ATTESTATION, BundleLayout.REPORT_DSSE, BundleLayout.REPORT)) {
        if (!small.containsKey(required)) {
          throw new BundleFormatException("bundle lacks " + required);
        }
      }
      if (buildLog == null) {
        throw new BundleFormatException("bundle lacks " + BundleLayout.BUILD_LOG);
      }
      if (artifacts.isEmpty()) {
        throw new BundleFormatException("bundle has no artifacts/ entry");
      }
      return new ReadBundle(
          small.get(BundleLayout.REPORT),
          small.get(BundleLayout.REPORT_DSSE),
          small.get(BundleLayout.ATTESTATION),
          buildLog,
          artifacts);
    }

    /** Decides whether an entry name may come next; returns its size limit. */
    private long admit(String name) throws BundleFormatException {
      if (++entries > limits.maxEntries()) {
        throw new BundleFormatException("bundle has more than " + limits.maxEntries() + " entries");
      }
      String problem = ArtifactPaths.problem(name);
      if (problem != null) {
        throw new BundleFormatException("entry \"" + printable(name) + "\" " + problem);
      }
      boolean artifact =
          name.startsWith(BundleLayout.ARTIFACTS_PREFIX)
              && name.length() > BundleLayout.ARTIFACTS_PREFIX.length();
      if (!artifact && !BundleLayout.TEEC_ENTRIES.contains(name)) {
        throw new BundleFormatException(
            "unexpected entry "
                + printable(name)
                + "; a bundle holds only "
                + String.join(", ", BundleLayout.TEEC_ENTRIES)
                + " and "
                + BundleLayout.ARTIFACTS_PREFIX
                + "<path>");
      }
      if (previous != null && BundleLayout.ENTRY_ORDER.compare(previous, name) > 0) {
        throw new BundleFormatException(
            "entry " + name + " is out of order (after " + previous + ")");
      }
      names.add(name);
      previous = name;
      return limits.limitFor(name);
    }

    /** Writes the entry's content to {@code relative} below the root, a path of our own. */
    private ExtractedFile extract(
        TarScanner scanner, TarScanner.Header h, String relative, boolean executable)
        throws IOException {
      Path target = root.resolve(relative);
      Files.createDirectories(target.getParent());
      MessageDigest digest = Digests.sha256();
      try (OutputStream out =
          new DigestOutputStream(
              Files.newOutputStream(
                  target,
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS),
              digest)) {
        scanner.copyContent(out, h.name());
      }
      PosixFileAttributeView posix =
          Files.getFileAttributeView(
              target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (posix != null) {
        posix.setPermissions(
            PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
      }
      return new ExtractedFile(
          h.name(), target, h.size(), HexFormat.of().formatHex(digest.digest()), executable);
    }
  }

  private static void requireEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("extraction directory " + dir + " is not an existing directory");
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      if (children.iterator().hasNext()) {
        throw new IOException("extraction directory " + dir + " is not empty");
      }
    }
  }

  /**
   * Deletes everything below {@code dir} (which was empty when reading began); never follows links.
   */
  private static void deleteContents(Path dir) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            if (!d.equals(dir)) {
              Files.delete(d);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static String printable(String name) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length() && sb.length() < 200; i++) {
      char c = name.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }
}
