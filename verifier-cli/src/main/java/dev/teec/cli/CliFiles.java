package dev.teec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Reading and writing the small files commands take and make (keys, registries, signatures): reads
 * are bounded, writes atomic.
 */
public final class CliFiles {
  /**
   * Registries, envelopes, key sets and signatures are small; anything larger is not one of them.
   */
  public static final int MAX_FILE = 16 << 20;

  private CliFiles() {}

  /**
   * The bytes of {@code file}, or a usage error naming the option and the reason.
   *
   * @param option how to name the file in the message, with a trailing space ("--key "), or ""
   */
  public static byte[] read(CommandLine cmd, String option, Path file) {
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new ParameterException(cmd, option + file + ": larger than " + MAX_FILE + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ParameterException(cmd, option + file + ": " + CliSupport.describe(e));
    }
  }

  /**
   * Writes {@code data} to {@code target} through a temporary sibling and an atomic rename, so
   * readers never see a half-written file; with {@code ownerOnly} the file is created mode 0600
   * before any byte is written.
   */
  public static void writeAtomically(Path target, byte[] data, boolean ownerOnly)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp =
        ownerOnly && dir.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? Files.createTempFile(
                dir,
                "." + target.getFileName(),
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      Files.write(tmp, data);
      if (!ownerOnly && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
