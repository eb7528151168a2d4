package dev.teec.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** The emulator's temporary work directories, and their removal. */
public final class Directories {
  private Directories() {}

  /**
   * A new directory for a recipe script's TMPDIR, mode 0755, under the system's temporary directory
   * (whose ancestors anyone may traverse). mmdebstrap makes its root below TMPDIR, and apt inside
   * drops to its unprivileged {@code _apt} user to download: under a directory that user cannot
   * reach (Java's temporary directories are 0700, and so may be TEEC_HOME), apt downloads as root
   * and leaves its {@code partial} directories owned by root instead of {@code _apt}, which changes
   * the root file system's tar (seen: the maven image's digest differed from the pinned one until
   * this was fixed).
   */
  public static Path scriptTmp() throws IOException {
    Path tmp = Files.createTempDirectory("teec-emulator-");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    return tmp;
  }

  /** Removes a directory tree (symbolic links are removed, not followed); nothing when absent. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
