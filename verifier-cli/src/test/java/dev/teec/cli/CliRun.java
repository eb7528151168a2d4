package dev.teec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * One run of a command tree through {@link CliSupport#execute}, as {@code main} runs it, with
 * stdout and stderr captured.
 */
record CliRun(int exitCode, String out, String err) {
  /** A "now" long after every real leaf certificate expired. */
  static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** Through the tree {@code main} builds for {@code args}: the named subcommand alone. */
  static CliRun teecVerify(String... args) {
    return run(clock -> TeecVerify.newCommandLine(clock, System.getenv(), args), CLOCK, args);
  }

  /** Through the tree {@code main} builds for {@code args}: the named subcommand alone. */
  static CliRun teec(String... args) {
    return run(clock -> Teec.newCommandLine(clock, System.getenv(), args), CLOCK, args);
  }

  static CliRun run(Function<Clock, CommandLine> tree, Clock clock, String... args) {
    CommandLine commandLine = tree.apply(clock);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = CliSupport.execute(commandLine, args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }

  /** Stdout as NDJSON: one parsed object per line. */
  List<JsonNode> json() {
    ObjectMapper mapper = new ObjectMapper();
    return out.lines()
        .map(
            line -> {
              try {
                return mapper.readTree(line);
              } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
              }
            })
        .toList();
  }

  /** The only JSON object on stdout. */
  JsonNode singleJson() {
    List<JsonNode> lines = json();
    if (lines.size() != 1) {
      throw new AssertionError("expected one JSON line, got " + lines.size() + ":\n" + out);
    }
    return lines.get(0);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
  }
}
