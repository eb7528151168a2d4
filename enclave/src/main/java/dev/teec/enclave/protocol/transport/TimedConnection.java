package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A read timeout for any {@link Connection}, including those with no native one (vsock and Unix
 * domain sockets through blocking channels): each read arms an alarm that closes the connection
 * when the read has waited longer than the timeout, and the read then fails with a {@link
 * SocketTimeoutException}. Closing is the one way to abort a blocked read that every transport
 * supports; after a timeout the connection is unusable, as a timed-out upstream is dropped anyway.
 */
final class TimedConnection implements Connection {

  /** One daemon thread fires every alarm; an alarm only closes a connection, so it never blocks. */
  private static final ScheduledThreadPoolExecutor ALARMS = alarms();

  private final Connection inner;
  private final Duration timeout;
  private volatile boolean timedOut;

  private final InputStream input =
      new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          int n = read(one, 0, 1);
          return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          Objects.checkFromIndexSize(off, len, b.length);
          return len == 0 ? 0 : timedRead(b, off, len);
        }

        @Override
        public int available() throws IOException {
          return inner.input().available();
        }

        @Override
        public void close() throws IOException {
          TimedConnection.this.close();
        }
      };

  TimedConnection(Connection inner, Duration timeout) {
    this.inner = Objects.requireNonNull(inner, "connection");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("read timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
  }

  private int timedRead(byte[] b, int off, int len) throws IOException {
    if (timedOut) {
      throw timeoutException(null);
    }
    // Whoever flips `settled` first decides: the reader (the read ended in time) or the alarm.
    AtomicBoolean settled = new AtomicBoolean();
    ScheduledFuture<?> alarm =
        ALARMS.schedule(
            () -> {
              if (settled.compareAndSet(false, true)) {
                timedOut = true;
                closeQuietly();
              }
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      return inner.input().read(b, off, len);
    } catch (IOException e) {
      if (timedOut) {
        throw timeoutException(e);
      }
      throw e;
    } finally {
      if (settled.compareAndSet(false, true)) {
        alarm.cancel(false);
      }
    }
  }

  private SocketTimeoutException timeoutException(IOException cause) {
    SocketTimeoutException e =
        new SocketTimeoutException(
            "no data from " + inner.peer() + " within the read timeout of " + timeout);
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  private void closeQuietly() {
    try {
      inner.close();
    } catch (IOException e) {
      // The read it aborts reports the timeout; a failing close adds nothing.
    }
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return inner.output();
  }

  @Override
  public void shutdownOutput() throws IOException {
    inner.shutdownOutput();
  }

  @Override
  public String peer() {
    return inner.peer();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }

  @Override
  public String toString() {
    return inner.toString();
  }

  private static ScheduledThreadPoolExecutor alarms() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "teec-read-timeouts");
              t.setDaemon(true);
              return t;
            });
    // Almost every alarm is cancelled (the read ended in time): drop those from the queue at once.
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
