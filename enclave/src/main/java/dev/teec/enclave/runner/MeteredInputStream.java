package dev.teec.enclave.runner;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes and counts every byte read, including skipped ones, refuses to go past a movable limit
 * (which bounds what the tar reader may consume between two entries), and after the end-of-archive
 * marker accepts only zeros.
 */
final class MeteredInputStream extends FilterInputStream {
  /** Thrown when a read would pass the limit. */
  static final class LimitReached extends IOException {
    LimitReached(String message) {
      super(message);
    }
  }

  /** Thrown when non-zero data follows the end-of-archive marker. */
  static final class TrailingData extends IOException {
    TrailingData() {
      super("data after the end of the archive");
    }
  }

  private final MessageDigest digest;
  private long count;
  private long limit;
  private String limitReason;
  private boolean zerosOnly;

  MeteredInputStream(InputStream in, MessageDigest digest) {
    super(in);
    this.digest = digest;
    this.limit = Long.MAX_VALUE;
  }

  long count() {
    return count;
  }

  /** From now on every byte must be zero (the end-of-archive records and padding). */
  void requireZeros() {
    zerosOnly = true;
  }

  boolean zerosRequired() {
    return zerosOnly;
  }

  /**
   * Allows reading up to {@code absoluteLimit} bytes in total; {@code reason} goes in the error.
   */
  void limit(long absoluteLimit, String reason) {
    this.limit = absoluteLimit;
    this.limitReason = reason;
  }

  @Override
  public int read() throws IOException {
    if (atLimit()) {
      return -1;
    }
    int b = in.read();
    if (b >= 0) {
      digest.update((byte) b);
      count++;
      if (zerosOnly && b != 0) {
        throw new TrailingData();
      }
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (atLimit()) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, limit - count));
    if (n > 0) {
      digest.update(b, off, n);
      count += n;
      if (zerosOnly) {
        for (int i = off; i < off + n; i++) {
          if (b[i] != 0) {
            throw new TrailingData();
          }
        }
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // skipped bytes must be hashed too, so skipping is reading
    byte[] buf = new byte[8192];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), limit - count);
  }

  /** At the limit, end of input is fine and anything more is an error. */
  private boolean atLimit() throws IOException {
    if (count < limit) {
      return false;
    }
    if (in.read() < 0) {
      return true;
    }
    throw new LimitReached(limitReason);
  }
}
