package dev.teec.enclave.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogPumpTest {
  private static List<String> pump(byte[] input, long max, List<String> lines) {
    LogPump p = new LogPump(new ByteArrayInputStream(input), max, lines::add);
    p.run();
    return lines;
  }

  @Test
  void longLine_arrivesInPiecesWithoutAnExtraEmptyLine() {
    String exact = "a".repeat(LogPump.MAX_LINE_BYTES);
    String longer = "b".repeat(LogPump.MAX_LINE_BYTES + 10);
    List<String> lines =
        pump(
            (exact + "\n" + longer + "\nend\n").getBytes(StandardCharsets.UTF_8),
            1 << 20,
            new ArrayList<>());
    assertThat(lines)
        .containsExactly(exact, "b".repeat(LogPump.MAX_LINE_BYTES), "b".repeat(10), "end");
  }

  @Test
  void malformedUtf8_isReplacedInLinesButKeptInTheLog() {
    byte[] input = {'o', 'k', (byte) 0xff, '\n'};
    List<String> lines = new ArrayList<>();
    LogPump p = new LogPump(new ByteArrayInputStream(input), 100, lines::add);
    p.run();
    assertThat(lines).containsExactly("ok\uFFFD");
    assertThat(p.snapshot().bytes()).isEqualTo(input);
  }

  @Test
  void listenerFailure_isRecordedAndStopsDelivery() {
    List<String> seen = new ArrayList<>();
    LogPump p =
        new LogPump(
            new ByteArrayInputStream("a\nb\nc\n".getBytes(StandardCharsets.UTF_8)),
            100,
            line -> {
              seen.add(line);
              if (line.equals("b")) {
                throw new IOException("gone");
              }
            });
    p.run();
    assertThat(seen).containsExactly("a", "b");
    assertThat(p.listenerFailure())
        .isCompletedWithValueMatching(e -> e.getMessage().equals("gone"));
    assertThat(p.snapshot().text()).isEqualTo("a\nb\nc\n");
  }

  @Test
  void snapshot_closesTheLog() {
    List<String> lines = new ArrayList<>();
    LogPump p = new LogPump(new ByteArrayInputStream(new byte[0]), 100, lines::add);
    p.run();
    BuildLog log = p.snapshot();
    p.appendMarker("late");
    assertThat(log.size()).isZero();
    assertThat(lines).isEmpty();
  }

  @Test
  void procStat_parsesNamesWithSpacesAndParentheses() {
    ProcessTree.Stat s = ProcessTree.parse("4242 (my (odd) name) S 1 4242 4200 0 -1 4194560 0 0");
    assertThat(s).isEqualTo(new ProcessTree.Stat(4242, 'S', 1, 4242, 4200));
    assertThat(s.live()).isTrue();
    assertThat(ProcessTree.parse("7 (z) Z 1 7 7 0").live()).isFalse();
  }
}
