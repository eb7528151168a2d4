package dev.teec.distribution;

import dev.teec.digest.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes {@code teec-VERSION.tar.gz}, {@code teec-VERSION.zip} and {@code teec-VERSION.sha256}
 * (both digests, in {@code sha256sum -c} format) from a checkout whose CLI jar is built.
 *
 * <p>Both archives hold one directory {@code teec-VERSION/} with {@code bin/teec}, {@code
 * bin/teec-verify}, {@code bin/teec-launcher.sh}, {@code lib/teec-cli.jar}, the class lists {@code
 * lib/teec-cli.classlist} (of {@code teec}) and {@code lib/teec-verify.classlist}, and {@code
 * LICENSE}. They depend only on those files' bytes, the version and the timestamp: entries are in
 * name order, every entry has the timestamp, owner root (0/0) and a mode set here (0755 for the
 * commands and directories, 0644 otherwise), the gzip header carries no time or name, and zip times
 * are written so that they read back as the timestamp in every time zone. The class lists (made by
 * training runs, whose class loading order varies) are sorted.
 */
public final class DistributionAssembler {
  private static final int DIRECTORY_MODE = 0755;
  private static final int EXECUTABLE_MODE = 0755;
  private static final int FILE_MODE = 0644;

  private final Path root;
  private final String version;
  private final Instant timestamp;

  /**
   * @param root the checkout: {@code bin/}, {@code LICENSE} and {@code verifier-cli/target/}
   * @param version the version in the file and directory names
   * @param timestamp every entry's modification time (the build's {@code outputTimestamp})
   */
  public DistributionAssembler(Path root, String version, Instant timestamp) {
    if (!version.matches("[0-9A-Za-z][0-9A-Za-z.+_-]*")) {
      throw new IllegalArgumentException("not a version usable in a file name: '" + version + "'");
    }
    this.root = root;
    this.version = version;
    this.timestamp = timestamp;
  }

  /** The base name of the archives and the top directory inside them: {@code teec-VERSION}. */
  public String baseName() {
    return "teec-" + version;
  }

  /**
   * Writes the two archives and the digest file into {@code outputDirectory}, each through a
   * temporary file renamed into place, so a failure leaves no partial archive under the final name.
   *
   * @return the tar.gz, the zip and the digest file, in that order
   * @throws NoSuchFileException naming the missing input when the checkout lacks one (the jar and
   *     class list exist only after {@code mvn package} of verifier-cli)
   */
  public List<Path> assemble(Path outputDirectory) throws IOException {
    Map<String, Content> entries = entries();
    Files.createDirectories(outputDirectory);
    Path tar =
        write(outputDirectory.resolve(baseName() + ".tar.gz"), out -> writeTarGz(entries, out));
    Path zip = write(outputDirectory.resolve(baseName() + ".zip"), out -> writeZip(entries, out));
    String sums = sha256Line(tar) + sha256Line(zip);
    Path digests =
        write(
            outputDirectory.resolve(baseName() + ".sha256"),
            out -> out.write(sums.getBytes(StandardCharsets.US_ASCII)));
    return List.of(tar, zip, digests);
  }

  private record Content(byte[] bytes, int mode) {
    static final Content DIRECTORY = new Content(null, DIRECTORY_MODE);

    boolean isDirectory() {
      return bytes == null;
    }
  }

  /** Every entry by name (directories end in '/'); a TreeMap, so iteration is in name order. */
  private Map<String, Content> entries() throws IOException {
    String top = baseName() + "/";
    Map<String, Content> entries = new TreeMap<>();
    entries.put(top, Content.DIRECTORY);
    entries.put(top + "bin/", Content.DIRECTORY);
    entries.put(top + "lib/", Content.DIRECTORY);
    entries.put(top + "LICENSE", read("LICENSE", FILE_MODE));
    entries.put(top + "bin/teec", read("bin/teec", EXECUTABLE_MODE));
    entries.put(top + "bin/teec-verify", read("bin/teec-verify", EXECUTABLE_MODE));
    entries.put(top + "bin/teec-launcher.sh", read("bin/teec-launcher.sh", FILE_MODE));
    entries.put(top + "lib/teec-cli.jar", read("verifier-cli/target/teec-cli.jar", FILE_MODE));
    for (String classList : List.of("teec-cli.classlist", "teec-verify.classlist")) {
      byte[] lines = readBytes("verifier-cli/target/" + classList);
      entries.put(top + "lib/" + classList, new Content(ClassList.normalize(lines), FILE_MODE));
    }
    return entries;
  }

  private Content read(String relative, int mode) throws IOException {
    return new Content(readBytes(relative), mode);
  }

  private byte[] readBytes(String relative) throws IOException {
    Path file = root.resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "missing; build it first (mvn -B -pl distribution -am package)");
    }
    return Files.readAllBytes(file);
  }

  private void writeTarGz(Map<String, Content> entries, OutputStream file) throws IOException {
    GzipParameters gzip = new GzipParameters();
    gzip.setCompressionLevel(Deflater.BEST_COMPRESSION);
    gzip.setModificationTime(0); // "no time stamp available" (RFC 1952)
    gzip.setOperatingSystem(255); // unknown: the same header whichever system builds
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(file, gzip), "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR); // plain ustar, no extensions
      for (Map.Entry<String, Content> e : entries.entrySet()) {
        Content content = e.getValue();
        TarArchiveEntry entry =
            new TarArchiveEntry(
                e.getKey(),
                content.isDirectory() ? TarArchiveEntry.LF_DIR : TarArchiveEntry.LF_NORMAL);
        entry.setMode(content.mode());
        entry.setModTime(FileTime.from(timestamp));
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("root");
        entry.setGroupName("root");
        entry.setSize(content.isDirectory() ? 0 : content.bytes().length);
        tar.putArchiveEntry(entry);
        if (!content.isDirectory()) {
          tar.write(content.bytes());
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }

  private void writeZip(Map<String, Content> entries, OutputStream file) throws IOException {
    // Zip stores local date and time fields: the JDK converts with the default zone, so convert
    // the wall-clock time of the timestamp in UTC back through it.
    long zipTime =
        LocalDateTime.ofInstant(timestamp, ZoneOffset.UTC)
            .atZone(ZoneId.systemDefault())
            .toInstant()
            .toEpochMilli();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
      zip.setEncoding("UTF-8");
      zip.setLevel(Deflater.BEST_COMPRESSION);
      for (Map.Entry<String, Content> e : entries.entrySet()) {
        Content content = e.getValue();
        ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
        entry.setTime(zipTime);
        entry.setUnixMode((content.isDirectory() ? 040000 : 0100000) | content.mode());
        zip.putArchiveEntry(entry);
        if (!content.isDirectory()) {
          zip.write(content.bytes());
        }
        zip.closeArchiveEntry();
      }
      zip.finish();
    }
  }

  private interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  private static Path write(Path target, Writer writer) throws IOException {
    Path temporary =
        Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try {
      try (OutputStream out = Files.newOutputStream(temporary)) {
        writer.writeTo(out);
      }
      try {
        // createTempFile made it private; a release asset is for everyone to read.
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: its default permissions apply
      }
      Files.move(
          temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static String sha256Line(Path file) throws IOException {
    return Digests.sha256Hex(file) + "  " + file.getFileName() + "\n";
  }

  /**
   * {@code DistributionAssembler ROOT VERSION TIMESTAMP OUTPUT_DIRECTORY}; TIMESTAMP is ISO-8601 or
   * seconds since the epoch, as Maven's {@code project.build.outputTimestamp} allows. Runs in
   * Maven's own JVM (exec:java), so it throws rather than exits.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: DistributionAssembler ROOT VERSION TIMESTAMP OUTPUT_DIRECTORY");
    }
    Instant timestamp =
        args[2].matches("[0-9]+")
            ? Instant.ofEpochSecond(Long.parseLong(args[2]))
            : Instant.parse(args[2]);
    for (Path p :
        new DistributionAssembler(Path.of(args[0]), args[1], timestamp)
            .assemble(Path.of(args[3]))) {
      System.out.println("distribution: wrote " + p);
    }
  }
}
