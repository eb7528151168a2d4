package dev.teec.enclave.runner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;

/**
 * The build area of one build, from {@link BuildRunner#prepare()}: freshly emptied directories
 * under the build root, held exclusively (a file lock on {@code <root>/.lock}) until closed.
 * Extract the source into {@link #sourceDir()}, call {@link BuildRunner#run}, copy the outputs into
 * the bundle, then close. Closing releases the lock and leaves the files in place.
 */
public final class BuildArea implements AutoCloseable {
  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private volatile boolean open = true;

  BuildArea(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** The build root (a real path: no symbolic links). */
  public Path root() {
    return root;
  }

  /** {@code <root>/src}: where the source must be extracted and where the build runs. */
  public Path sourceDir() {
    return root.resolve("src");
  }

  /** {@code <root>/home}: the build's HOME (caches of cargo, maven and go land here). */
  public Path homeDir() {
    return root.resolve("home");
  }

  /** {@code <root>/tmp}: the build's TMPDIR. */
  public Path tmpDir() {
    return root.resolve("tmp");
  }

  /** {@code <root>/out}: the runner's copies of the outputs. */
  public Path outputDir() {
    return root.resolve("out");
  }

  boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
