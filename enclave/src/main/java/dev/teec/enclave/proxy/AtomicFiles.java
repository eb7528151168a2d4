package dev.teec.enclave.proxy;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes whole files so that readers see either the old content or the new one, never a part. */
final class AtomicFiles {

  private AtomicFiles() {}

  static void write(Path file, byte[] content) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      Files.write(temp, content);
      replace(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Moves the complete file {@code temp} over {@code target}, atomically where the file system can.
   */
  static void replace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
