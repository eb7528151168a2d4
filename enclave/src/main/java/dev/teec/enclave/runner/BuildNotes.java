package dev.teec.enclave.runner;

import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Notes from outside the build's processes (such as the recording proxy's failed fetches) for the
 * build log, written as runner lines ({@code [teec: text]}) in log order while a build runs and
 * dropped otherwise. At most {@code limit} notes are written per build, so a build that provokes
 * notes cannot flood its log; how many were left out is said once, when the build's processes have
 * ended. Safe to call from any thread.
 */
public final class BuildNotes {
  private final int limit;
  private final IntFunction<String> omitted;
  private LogPump pump;
  private int written;
  private int dropped;

  /**
   * @param limit how many notes a build's log may hold, at least 0
   * @param omitted the note saying how many more were left out, given that count
   */
  public BuildNotes(int limit, IntFunction<String> omitted) {
    if (limit < 0) {
      throw new IllegalArgumentException("negative note limit: " + limit);
    }
    this.limit = limit;
    this.omitted = Objects.requireNonNull(omitted, "omitted");
  }

  /** Notes that are never written. */
  public static BuildNotes none() {
    return new BuildNotes(0, n -> "");
  }

  /**
   * Writes {@code text} as a runner line of the running build's log (the caller escapes untrusted
   * text: a line break would end the line). Dropped when no build runs or the limit was reached.
   */
  public synchronized void note(String text) {
    if (pump == null) {
      return;
    }
    if (written < limit) {
      written++;
      pump.appendMarker(text);
    } else {
      dropped++;
    }
  }

  synchronized void attach(LogPump pump) {
    if (this.pump != null) {
      throw new IllegalStateException("these notes already belong to a running build");
    }
    this.pump = pump;
    written = 0;
    dropped = 0;
  }

  /** Ends this build's notes, saying how many were left out. */
  synchronized void detach() {
    if (pump != null && dropped > 0) {
      pump.appendMarker(omitted.apply(dropped));
    }
    pump = null;
  }
}
