package dev.teec.cli;

import picocli.CommandLine.Option;

/** How verdicts are printed; shared by every command that prints per-document verdicts. */
final class OutputMixin {
  @Option(
      names = "--json",
      description =
          "Print one JSON object per input, one per line (NDJSON), instead of the report.")
  boolean json;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the verdict line of each input. No effect with --json.")
  boolean quiet;

  // Read through the command spec by CliSupport's error handler, never directly.
  @Option(names = CliSupport.STACKTRACE, hidden = true)
  boolean stacktrace;
}
