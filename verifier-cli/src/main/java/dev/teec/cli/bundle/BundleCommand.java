package dev.teec.cli.bundle;

import dev.teec.cli.CliSupport;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code teec bundle}: the parent of the commands on one bundle. */
@Command(
    name = "bundle",
    description =
        "Commands on one build bundle: sign it as its operator for the vote among builders, or"
            + " print its attested key for cosign.",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:done",
      "1:the file is not a valid bundle, or (key) the bundle was rejected",
      CliSupport.EXIT_USAGE,
      CliSupport.EXIT_INTERNAL
    })
public final class BundleCommand implements Runnable {
  @Spec private CommandSpec spec;

  private BundleCommand() {}

  /**
   * The {@code bundle} command with its subcommands; the caller installs error handling.
   *
   * @param clock the source of "now" for verification
   * @param environment where TEEC_HOME is looked up for --simulated
   */
  public static CommandLine newCommandLine(Clock clock, Map<String, String> environment) {
    CommandLine cmd = new CommandLine(new BundleCommand());
    cmd.addSubcommand(new BundleSignCommand());
    cmd.addSubcommand(new BundleKeyCommand(clock, environment));
    return cmd;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: sign or key");
  }
}
