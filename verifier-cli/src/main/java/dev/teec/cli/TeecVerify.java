package dev.teec.cli;

import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code teec-verify}: offline verification of AWS Nitro attestation documents. The subcommands are
 * {@code doc} ({@link VerifyDocCommand}) and {@code bundle} ({@link VerifyBundleCommand}). The root
 * and {@code doc} are built in code ({@link CommandModels}), so that a one-document call reads no
 * annotations.
 */
public final class TeecVerify {
  private TeecVerify() {}

  /**
   * The {@code teec-verify} command tree with the shared error handling installed.
   *
   * @param clock the source of "now" for every subcommand
   * @return the root {@code CommandLine}, ready to {@link CommandLine#execute execute}
   */
  public static CommandLine newCommandLine(Clock clock) {
    return newCommandLine(clock, System.getenv());
  }

  /**
   * The {@code teec-verify} command tree, looking up {@code TEEC_HOME} in {@code environment}.
   *
   * @param clock the source of "now" for every subcommand
   * @param environment the process environment as the commands should see it
   * @return the root {@code CommandLine}, ready to {@link CommandLine#execute execute}
   */
  public static CommandLine newCommandLine(Clock clock, java.util.Map<String, String> environment) {
    return newCommandLine(clock, environment, new String[0]);
  }

  /**
   * The {@code teec-verify} command tree for parsing {@code args}: when they start with a
   * subcommand name, only that subcommand is built ({@link Subcommands}).
   *
   * @param clock the source of "now" for every subcommand
   * @param environment the process environment as the commands should see it
   * @param args the command line the tree will parse
   * @return the root {@code CommandLine}, ready to {@link CommandLine#execute execute}
   */
  public static CommandLine newCommandLine(
      Clock clock, java.util.Map<String, String> environment, String[] args) {
    CommandSpec root = CommandSpec.wrapWithoutInspection(new TeecVerify()).name("teec-verify");
    root.usageMessage()
        .description("Verify AWS Nitro attestation documents and teec build bundles offline.");
    CommandLine commandLine = new CommandLine(CommandModels.standardHelp(root));
    new Subcommands()
        .add("doc", () -> VerifyDocCommand.newSpec(clock, environment))
        .add("bundle", () -> new VerifyBundleCommand(clock, environment))
        .addTo(commandLine, args);
    return CliSupport.configure(commandLine);
  }

  /**
   * Runs {@code teec-verify} and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    CliSupport.prepareMain();
    System.exit(CliSupport.execute(newCommandLine(Clock.systemUTC(), System.getenv(), args), args));
  }
}
