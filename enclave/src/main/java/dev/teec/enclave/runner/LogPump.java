package dev.teec.enclave.runner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Drains the build's merged stdout/stderr pipe: keeps the first {@code maxBytes}, streams them line
 * by line, and keeps draining (discarding) after that so the build never blocks on a full pipe.
 * Runs on its own thread; {@link #snapshot} may be called from another.
 */
final class LogPump implements Runnable {
  static final int MAX_LINE_BYTES = 64 * 1024;
  private static final byte[] NEWLINE = {'\n'};

  private final InputStream in;
  private final long maxBytes;
  private final LogListener listener;
  private final CompletableFuture<Throwable> listenerFailure = new CompletableFuture<>();
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean truncated;
  private boolean closed;
  // a long line was just cut into a piece; its newline must not add an empty line
  private boolean justSplit;

  LogPump(InputStream in, long maxBytes, LogListener listener) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.listener = listener;
  }

  /** Completes with the listener's exception if it throws; never completes otherwise. */
  CompletableFuture<Throwable> listenerFailure() {
    return listenerFailure;
  }

  @Override
  public void run() {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        accept(buf, n);
      }
    } catch (IOException e) {
      // the pipe closes under us when the process tree is killed; the log ends there
    }
    synchronized (this) {
      if (!closed) {
        flushLine();
      }
    }
  }

  private synchronized void accept(byte[] buf, int n) {
    if (closed || truncated) {
      return;
    }
    long room = maxBytes - captured.size();
    int keep = (int) Math.min(n, room);
    captured.write(buf, 0, keep);
    for (int i = 0; i < keep; i++) {
      byte b = buf[i];
      if (b == '\n') {
        if (line.size() > 0 || !justSplit) {
          emitLine();
        }
        justSplit = false;
      } else {
        line.write(b);
        justSplit = false;
        if (line.size() >= MAX_LINE_BYTES) {
          emitLine();
          justSplit = true;
        }
      }
    }
    if (keep < n) {
      truncated = true;
      flushLine();
      appendMarker(
          "log truncated: the build wrote more than "
              + maxBytes
              + " bytes; the rest was discarded");
    }
  }

  /**
   * Appends a runner line ({@code [teec: text]}) to the log and the stream, unless the log was
   * already closed by {@link #snapshot}.
   */
  synchronized void appendMarker(String text) {
    if (closed) {
      return;
    }
    flushLine();
    byte[] data = captured.toByteArray();
    if (data.length > 0 && data[data.length - 1] != '\n') {
      captured.write(NEWLINE, 0, 1);
    }
    String marker = "[teec: " + text + "]";
    captured.writeBytes(marker.getBytes(StandardCharsets.UTF_8));
    captured.write(NEWLINE, 0, 1);
    deliver(marker);
  }

  /** Ends capture (later output is ignored) and returns the log. */
  synchronized BuildLog snapshot() {
    flushLine();
    closed = true;
    return new BuildLog(captured.toByteArray(), truncated);
  }

  /** Delivers an unterminated last line, if any. */
  private void flushLine() {
    if (line.size() > 0) {
      emitLine();
    }
  }

  private void emitLine() {
    byte[] bytes = line.toByteArray();
    line.reset();
    int len = bytes.length;
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    deliver(new String(bytes, 0, len, StandardCharsets.UTF_8));
  }

  private void deliver(String text) {
    if (listenerFailure.isDone()) {
      return;
    }
    try {
      listener.onLine(text);
    } catch (IOException | RuntimeException e) {
      listenerFailure.complete(e);
    }
  }
}
