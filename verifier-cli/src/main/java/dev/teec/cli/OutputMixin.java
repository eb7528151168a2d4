package dev.teec.cli;

import java.util.List;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How verdicts are printed; shared by every command that prints per-document verdicts. Its options
 * are built in code ({@link CommandModels}): add {@link #optionSpecs()} to the command.
 */
final class OutputMixin {
  private final OptionSpec json =
      CommandModels.flag("--json")
          .description(
              "Print one JSON object per input, one per line (NDJSON), instead of the report.")
          .build();

  private final OptionSpec quiet =
      CommandModels.flag("-q", "--quiet")
          .description("Print only the verdict line of each input. No effect with --json.")
          .build();

  // Read through the command spec by CliSupport's error handler, never here.
  private final List<OptionSpec> options =
      List.of(json, quiet, CommandModels.flag(CliSupport.STACKTRACE).hidden(true).build());

  /** The options, for one command ({@link CommandModels}). */
  List<OptionSpec> optionSpecs() {
    return options;
  }

  /** Whether --json was given. */
  boolean json() {
    return CommandModels.isSet(json);
  }

  /** Whether -q or --quiet was given. */
  boolean quiet() {
    return CommandModels.isSet(quiet);
  }
}
