package dev.teec.cli;

import dev.teec.cli.bundle.BundleCommand;
import dev.teec.cli.image.ImageCommand;
import dev.teec.cli.registry.RegistryCommand;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code teec}: the umbrella command. {@code teec verify ...} is exactly {@code teec-verify ...}:
 * the same command tree, mounted under {@code verify}.
 */
@Command(
    name = "teec",
    description = {
      "Prove that an executable was compiled from a given source:",
      "its build ran in an AWS Nitro Enclave, which attests what it read and wrote.",
      "",
      "Three tasks, one example each:",
      "  build      build a project as its build.json says, write the attested bundle",
      "    $ teec build ./my-project --out app.tar",
      "  verify     check a bundle offline: what was built, from what, in which image",
      "    $ teec verify bundle --registry reg.json --registry-keys keys.jwks app.tar",
      "  challenge  rebuild a bundle from its source and compare every artifact",
      "    $ teec challenge reproduce app.tar --source ./my-project",
      "",
      "New here? 'teec demo' builds and verifies a sample locally.",
      "Each command has --help; every rejection ends with a 'Next:' line.",
      ""
    },
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      CliSupport.EXIT_OK,
      CliSupport.EXIT_REJECTED,
      CliSupport.EXIT_USAGE,
      CliSupport.EXIT_INTERNAL
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
    return newCommandLine(clock, System.getenv());
  }

  /**
   * The {@code teec} command tree, looking up {@code TEEC_HOME} in {@code environment}.
   *
   * @param clock the source of "now" for every subcommand
   * @param environment the process environment as the commands should see it
   * @return the root {@code CommandLine}, ready to {@link CommandLine#execute execute}
   */
  public static CommandLine newCommandLine(Clock clock, java.util.Map<String, String> environment) {
    return newCommandLine(clock, environment, new String[0]);
  }

  /**
   * The {@code teec} command tree for parsing {@code args}: when they start with a subcommand name,
   * only that subcommand is built ({@link Subcommands}).
   *
   * @param clock the source of "now" for every subcommand
   * @param environment the process environment as the commands should see it
   * @param args the command line the tree will parse
   * @return the root {@code CommandLine}, ready to {@link CommandLine#execute execute}
   */
  public static CommandLine newCommandLine(
      Clock clock, java.util.Map<String, String> environment, String[] args) {
    CommandLine commandLine = new CommandLine(new Teec());
    new Subcommands()
        .add(
            "verify",
            () -> {
              CommandLine verify =
                  TeecVerify.newCommandLine(clock, environment, Subcommands.rest(args));
              // Renamed, not aliased, so that usage and error messages say "teec verify doc".
              verify.getCommandSpec().name("verify");
              return verify;
            })
        .add("build", () -> new dev.teec.cli.build.BuildCommand(clock, environment))
        .add("demo", () -> new DemoCommand(clock, environment))
        .add(
            "challenge",
            () -> dev.teec.cli.challenge.ChallengeCommand.newCommandLine(clock, environment))
        .add("registry", () -> RegistryCommand.newCommandLine(clock))
        .add("image", ImageCommand::newCommandLine)
        .add(
            "emulator",
            () -> dev.teec.cli.emulator.EmulatorCommand.newCommandLine(clock, environment))
        .add("bundle", () -> BundleCommand.newCommandLine(clock, environment))
        .addTo(commandLine, args);
    return CliSupport.configure(commandLine);
  }

  /**
   * Runs {@code teec} and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    CliSupport.prepareMain();
    System.exit(CliSupport.execute(newCommandLine(Clock.systemUTC(), System.getenv(), args), args));
  }
}
