package dev.teec.cli.challenge;

import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code teec challenge}: the parent of the commands that check builders against each other. */
@Command(
    name = "challenge",
    description =
        "Check builders' bundles: rebuild one from the same source, or count independent builds.",
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
    challenge.addSubcommand(new VoteCommand(clock, environment));
    return challenge;
  }
}
