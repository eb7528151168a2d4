package dev.teec.enclave.proxy;

import dev.teec.digest.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A content-addressed directory of response bodies: each body is the regular file named by the
 * lower-case hex of its SHA-256, directly in the directory. Bodies enter only through {@link
 * #store}, which hashes them on the way and renames the finished temporary file into place, so a
 * file under a digest's name always had that digest when it was stored; {@link #verify} re-checks
 * it, and {@link OfflineReplay} checks every byte again as it serves it.
 *
 * <p>Thread-safe: concurrent stores of the same body each write their own temporary file, and the
 * rename makes one of them win with identical content.
 */
public final class ContentCache {
  private static final HexFormat HEX = HexFormat.of();

  private final Path dir;

  /** A cache in {@code dir}, which need not exist yet ({@link #store} creates it). */
  public ContentCache(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  /** The cache directory. */
  public Path directory() {
    return dir;
  }

  /** Where the body with this digest is, or would be, stored. */
  public Path path(String sha256) {
    return dir.resolve(checkDigest(sha256));
  }

  /** Whether a regular file is stored under {@code sha256} (its content is not checked). */
  public boolean contains(String sha256) {
    return Files.isRegularFile(path(sha256), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Re-hashes the stored body of {@code sha256}.
   *
   * @return true when a regular file of {@code size} bytes with that digest is stored; false when
   *     none is stored
   * @throws IOException when the stored file is not what its name says (wrong size or digest, not a
   *     regular file), or cannot be read
   */
  public boolean verify(String sha256, long size) throws IOException {
    Path file = path(sha256);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(file + " is not a regular file");
    }
    MessageDigest md = Digests.sha256();
    long n;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      n = copy(in, OutputStream.nullOutputStream(), md);
    }
    String actual = HEX.formatHex(md.digest());
    if (n != size || !actual.equals(sha256)) {
      throw new IOException(
          "cached "
              + file
              + " is corrupt: "
              + n
              + " bytes with SHA-256 "
              + actual
              + ", expected "
              + size
              + " bytes with SHA-256 "
              + sha256);
    }
    return true;
  }

  /**
   * Stores {@code body} under {@code sha256}, replacing nothing unless the new file is complete and
   * has exactly that digest and size: it is written to a temporary file in the cache directory and
   * renamed into place only then.
   *
   * @throws IOException when the body's digest or size differs from the expected one (nothing is
   *     stored; at most {@code size + 1} bytes are read), or on I/O failure
   */
  public void store(String sha256, long size, InputStream body) throws IOException {
    Path target = path(sha256);
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".fetch-", ".tmp");
    try {
      MessageDigest md = Digests.sha256();
      long n;
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
        // One byte more than expected is enough to know it is the wrong body.
        n = copy(new LimitedInput(body, size + 1), out, md);
      }
      String actual = HEX.formatHex(md.digest());
      if (!actual.equals(sha256) || n != size) {
        throw new DigestMismatchException(sha256, size, actual, n);
      }
      AtomicFiles.replace(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Opens the stored body of {@code sha256}.
   *
   * @throws NoSuchFileException when nothing is stored under it
   */
  InputStream open(String sha256) throws IOException {
    Path file = path(sha256);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(file.toString());
    }
    return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
  }

  /** A body whose digest or size is not the one asked for. */
  public static final class DigestMismatchException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String expected;
    private final String actual;
    private final long actualSize;

    DigestMismatchException(String expected, long expectedSize, String actual, long actualSize) {
      super(
          "body has "
              + actualSize
              + " bytes with SHA-256 "
              + actual
              + ", expected "
              + expectedSize
              + " bytes with SHA-256 "
              + expected);
      this.expected = expected;
      this.actual = actual;
      this.actualSize = actualSize;
    }

    /** The digest the body should have had. */
    public String expected() {
      return expected;
    }

    /** The digest it had. */
    public String actual() {
      return actual;
    }

    /** The number of bytes it had. */
    public long actualSize() {
      return actualSize;
    }
  }

  /** Reads at most {@code limit} bytes of its input. */
  private static final class LimitedInput extends java.io.FilterInputStream {
    private long left;

    LimitedInput(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  static String checkDigest(String sha256) {
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
    }
    return sha256;
  }

  private static long copy(InputStream in, OutputStream out, MessageDigest md) throws IOException {
    byte[] buffer = new byte[32 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      md.update(buffer, 0, n);
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }
}
