package dev.teec.cli.bundle;

import dev.teec.cli.CliSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code teec bundle}: the parent of the commands an operator runs on its bundles. */
@Command(
    name = "bundle",
    description = "Operator commands on build bundles: sign one for the vote among builders.",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:done",
      "1:the file is not a valid bundle",
      CliSupport.EXIT_USAGE,
      CliSupport.EXIT_INTERNAL
    })
public final class BundleCommand implements Runnable {
  @Spec private CommandSpec spec;

  private BundleCommand() {}

  /** The {@code bundle} command with its subcommands; the caller installs error handling. */
  public static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new BundleCommand());
    cmd.addSubcommand(new BundleSignCommand());
    return cmd;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: sign");
  }
}
