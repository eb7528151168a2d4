package dev.teec.cli.registry;

import dev.teec.cli.CliSupport;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code teec registry}: the parent of the registry commands. Editing commands (init, add-image,
 * revoke) write the bare registry document; {@code sign} turns it into, or adds a signature to, a
 * signed envelope; {@code verify}, {@code list} and {@code show} read either.
 */
@Command(
    name = "registry",
    description = {
      "Maintain, sign and inspect the registry of trusted enclave images.",
      "",
      "Editing a registry (init, add-image, revoke, add-root, renew) writes the next version as a"
          + " bare document without signatures: the maintainers sign each version (k of n) with 'sign'."
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:done (the registry verified, the image was found)",
      "1:rejected: the registry did not verify, or no image fits",
      CliSupport.EXIT_USAGE,
      CliSupport.EXIT_INTERNAL
    })
public final class RegistryCommand implements Runnable {
  @Spec private CommandSpec spec;

  private RegistryCommand() {}

  /**
   * The {@code registry} command with its subcommands; the caller installs error handling.
   *
   * @param clock the source of "now" for issue times, revocations and validity checks
   */
  public static CommandLine newCommandLine(Clock clock) {
    CommandLine cmd = new CommandLine(new RegistryCommand());
    cmd.addSubcommand(new KeygenCommand());
    cmd.addSubcommand(new InitCommand(clock));
    cmd.addSubcommand(new AddImageCommand(clock));
    cmd.addSubcommand(new RevokeCommand(clock));
    cmd.addSubcommand(new AddRootCommand(clock));
    cmd.addSubcommand(new RenewCommand(clock));
    cmd.addSubcommand(new SignCommand());
    cmd.addSubcommand(new InspectCommands.Verify(clock));
    cmd.addSubcommand(new InspectCommands.List(clock));
    cmd.addSubcommand(new InspectCommands.Show(clock));
    cmd.addSubcommand(new InspectCommands.Find(clock));
    return cmd;
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing subcommand: keygen, init, add-image, revoke, add-root, renew, sign, verify, list, show or find");
  }
}
