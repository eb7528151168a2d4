package dev.teec.cli;

import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code teec}: the umbrella command. {@code teec verify ...} is exactly {@code teec-verify ...}:
 * the same command tree, mounted under {@code verify}.
 */
@Command(
    name = "teec",
    description = "Prove that an executable was compiled from a given source inside an AWS Nitro Enclave.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      CliSupport.EXIT_OK, CliSupport.EXIT_REJECTED, CliSupport.EXIT_USAGE, CliSupport.EXIT_INTERNAL
    })
public final class Teec {
  private Teec() {}

  /**
   * The {@code teec} command tree with the shared error handling installed.
   *
   * @param clock the source of "now" for every subcommand
   * @return the root {@code CommandLine}, ready to {@link CommandLine#execute execute}
   */
  public static CommandLine newCommandLine(Clock clock) {
    CommandLine commandLine = new CommandLine(new Teec());
    CommandLine verify = TeecVerify.newCommandLine(clock);
    // Renamed, not aliased, so that usage and error messages say "teec verify doc".
    verify.getCommandSpec().name("verify");
    commandLine.addSubcommand(verify);
    return CliSupport.configure(commandLine);
  }

  /**
   * Runs {@code teec} and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(CliSupport.execute(newCommandLine(Clock.systemUTC()), args));
  }
}
