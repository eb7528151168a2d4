package dev.teec.cli.challenge;

import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code teec challenge}: the parent of the commands that check builders by rebuilding. */
@Command(
    name = "challenge",
    description = "Check a builder's bundle by rebuilding it from the same source.",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND")
public final class ChallengeCommand {
  private ChallengeCommand() {}

  /**
   * The {@code challenge} subtree.
   *
   * @param clock the source of "now"
   * @param environment the process environment (for {@code TEEC_HOME})
   */
  public static CommandLine newCommandLine(Clock clock, Map<String, String> environment) {
    CommandLine challenge = new CommandLine(new ChallengeCommand());
    challenge.addSubcommand(new ReproduceCommand(clock, environment));
    challenge.addSubcommand(new FetchCommand(environment));
    return challenge;
  }
}
