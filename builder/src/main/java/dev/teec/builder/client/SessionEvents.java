package dev.teec.builder.client;

import dev.teec.builder.progress.Progress;
import dev.teec.enclave.protocol.BuildEvents;
import dev.teec.enclave.protocol.BuildPhase;
import dev.teec.enclave.protocol.BundleStart;
import dev.teec.enclave.protocol.LogLine;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a build session shows the user: the worker's log and phases (in the user's words), and the
 * bytes of the source sent and of the bundle received.
 */
final class SessionEvents implements BuildEvents {
  private final Progress progress;
  private long bundleSize;

  SessionEvents(Progress progress) {
    this.progress = progress;
  }

  /** {@code out}, reporting the bundle's bytes as they arrive. */
  OutputStream counting(OutputStream out) {
    return new Counting(out, this);
  }

  /** {@code in}, reporting the source's bytes (of {@code total}) as they are sent. */
  static InputStream metered(InputStream in, long total, Progress progress) {
    return new Metered(in, total, progress);
  }

  @Override
  public void onLog(LogLine line) {
    progress.log(line);
  }

  @Override
  public void onPhase(BuildPhase phase) {
    progress.phase(
        switch (phase) {
          case RECEIVING -> "sending the source";
          case BUILDING -> "building";
          case ATTESTING -> "attesting";
          case SENDING -> "receiving the bundle";
        });
  }

  @Override
  public void onBundleStart(BundleStart start) {
    bundleSize = start.size();
  }

  /** Reports the bundle's bytes as they arrive. */
  private static final class Counting extends FilterOutputStream {
    private final SessionEvents events;
    private long count;

    Counting(OutputStream out, SessionEvents events) {
      super(out);
      this.events = events;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
      events.progress.transfer("bundle", count, events.bundleSize);
    }
  }

  /** Reports the source's bytes as they are sent. */
  private static final class Metered extends FilterInputStream {
    private final long total;
    private final Progress progress;
    private long count;

    Metered(InputStream in, long total, Progress progress) {
      super(in);
      this.total = total;
      this.progress = progress;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
        progress.transfer("source", count, total);
      }
      return n;
    }
  }
}
