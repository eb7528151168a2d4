package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
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
final class TimedConnection extends RawConnection {

  /** One daemon thread fires every alarm; an alarm only closes a connection, so it never blocks. */
  private static final ScheduledThreadPoolExecutor ALARMS = alarms();

  private final Connection inner;
  private final Duration timeout;
  private volatile boolean timedOut;

  TimedConnection(Connection inner, Duration timeout) {
    super(inner.peer());
    this.inner = inner;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("read timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
  }

  @Override
  int receive(byte[] b, int off, int len) throws IOException {
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
  void sendAll(byte[] b, int off, int len) throws IOException {
    inner.output().write(b, off, len);
  }

  @Override
  public void shutdownOutput() throws IOException {
    inner.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    inner.close();
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
