package dev.teec.builder.progress;

import dev.teec.enclave.protocol.LogLine;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;

/**
 * Progress for a person at a terminal: {@code ==> phase} lines, the build log as {@code | line}
 * with control characters neutralised, notes as {@code teec: ...}. On a TTY, transfers also get a
 * progress bar redrawn in place; otherwise (CI logs, pipes) only plain lines are written, and a
 * transfer is reported once when it completes.
 */
public final class TerminalProgress implements Progress {
  private static final int BAR_WIDTH = 30;

  private final PrintWriter out;
  private final boolean tty;
  private String barWhat;
  private int barPercent = -1;

  /**
   * @param out where to write
   * @param tty whether {@code out} is an interactive terminal (a bar is drawn only then)
   */
  public TerminalProgress(PrintWriter out, boolean tty) {
    this.out = Objects.requireNonNull(out, "out");
    this.tty = tty;
  }

  @Override
  public synchronized void phase(String text) {
    line("==> " + text);
  }

  @Override
  public synchronized void log(LogLine line) {
    line("  | " + TerminalText.safe(line.line()));
  }

  @Override
  public synchronized void note(String text) {
    line("teec: " + TerminalText.safe(text));
  }

  @Override
  public synchronized void transfer(String what, long done, long total) {
    int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
    if (!tty) {
      if (done >= total && !what.equals(barWhat)) {
        barWhat = what;
        line("    " + what + ": " + size(done) + " done");
      }
      return;
    }
    if (what.equals(barWhat) && percent == barPercent) {
      return;
    }
    barWhat = what;
    barPercent = percent;
    int filled = percent * BAR_WIDTH / 100;
    out.print(
        "\r    "
            + what
            + " ["
            + "#".repeat(filled)
            + " ".repeat(BAR_WIDTH - filled)
            + "] "
            + String.format(Locale.ROOT, "%3d%%", percent)
            + " "
            + size(done)
            + "\u001b[K");
    if (percent >= 100) {
      out.println();
      barPercent = -1;
      barWhat = null;
    }
    out.flush();
  }

  /** Ends an unfinished bar before an ordinary line, so the two never share a line. */
  private void line(String text) {
    if (tty && barPercent >= 0) {
      out.println();
      barPercent = -1;
      barWhat = null;
    }
    out.println(text);
    out.flush();
  }

  private static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }
}
