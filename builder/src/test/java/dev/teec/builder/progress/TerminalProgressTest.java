package dev.teec.builder.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.enclave.protocol.LogLine;
import dev.teec.enclave.protocol.LogStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {
  private final StringWriter text = new StringWriter();

  @Test
  void plain_noBar_oneLinePerCompletedTransfer_controlCharactersNeutralised() {
    TerminalProgress p = new TerminalProgress(new PrintWriter(text), false);
    p.phase("building");
    p.log(new LogLine(LogStream.STDOUT, "evil \u001b[2Jclear\rline"));
    p.transfer("source", 10, 100);
    p.transfer("source", 100, 100);
    p.note("done");
    assertThat(text.toString().lines())
        .containsExactly(
            "==> building",
            "  | evil \\u001b[2Jclear\\u000dline",
            "    source: 100 B done",
            "teec: done");
  }

  @Test
  void tty_barRedrawnInPlace_andEndedBeforeTheNextLine() {
    TerminalProgress p = new TerminalProgress(new PrintWriter(text), true);
    p.transfer("bundle", 512, 2048);
    p.transfer("bundle", 520, 2048); // still 25%: not redrawn
    p.transfer("bundle", 1024, 2048);
    p.phase("checking the bundle");
    String out = text.toString();
    assertThat(out)
        .contains("\r    bundle [#######")
        .contains(" 25% 512 B")
        .contains(" 50% 1.0 KiB");
    assertThat(out).doesNotContain("520 B");
    assertThat(out).endsWith("\u001b[K\n==> checking the bundle\n");
  }
}
