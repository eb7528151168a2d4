package dev.teec.truststore.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A {@link RegistryVersionStore} in a directory, one file per pinned key set (spec R3): {@code
 * <directory>/<key set id>.version} holds the highest verified version as decimal digits and a
 * newline. Files are replaced atomically (a temporary file in the same directory, then a rename)
 * under a lock on {@code <directory>/.lock}, so concurrent verifiers never lower a version or leave
 * a half-written file. A file that is not exactly that format is an error, never read as "no
 * version": the store fails closed.
 */
public final class FileRegistryVersionStore implements RegistryVersionStore {
  private static final Pattern KEY_SET_ID = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern CONTENT = Pattern.compile("[1-9][0-9]{0,18}\n");

  private final Path directory;

  /**
   * @param directory where the files are kept; created (mode 0700) on the first record
   */
  public FileRegistryVersionStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
  }

  @Override
  public OptionalLong highest(String keySetId) throws IOException {
    return read(file(keySetId));
  }

  @Override
  public void record(String keySetId, long version) throws IOException {
    if (version < 1) {
      throw new IllegalArgumentException("a registry version is at least 1, got " + version);
    }
    Path target = file(keySetId);
    createDirectory();
    try (FileChannel lockFile =
            FileChannel.open(
                directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      OptionalLong current = read(target);
      if (current.isPresent() && current.getAsLong() >= version) {
        return;
      }
      Path temp = Files.createTempFile(directory, "." + keySetId, ".tmp");
      try {
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          out.write(ByteBuffer.wrap((version + "\n").getBytes(StandardCharsets.US_ASCII)));
          out.force(true);
        }
        try {
          Files.move(
              temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  @Override
  public String describe() {
    return directory.toString();
  }

  private Path file(String keySetId) {
    if (!KEY_SET_ID.matcher(keySetId).matches()) {
      throw new IllegalArgumentException(
          "a key set id is 64 lowercase hex digits, got '" + keySetId + "'");
    }
    return directory.resolve(keySetId + ".version");
  }

  private static OptionalLong read(Path file) throws IOException {
    byte[] bytes;
    try {
      if (Files.isSymbolicLink(file) || Files.size(file) > 20) {
        throw new IOException(file + " is not a version file (decimal digits and a newline)");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (!CONTENT.matcher(text).matches()) {
      throw new IOException(
          file + " is not a version file (decimal digits and a newline); delete it to start over");
    }
    try {
      return OptionalLong.of(Long.parseLong(text.strip()));
    } catch (NumberFormatException e) {
      throw new IOException(file + " holds a version above " + Long.MAX_VALUE, e);
    }
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(directory);
    }
  }
}
