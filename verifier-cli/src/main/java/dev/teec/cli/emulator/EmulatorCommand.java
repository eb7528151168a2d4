package dev.teec.cli.emulator;

import dev.teec.cli.CliSupport;
import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.ImageRecipe;
import dev.teec.emulator.StepFailedException;
import dev.teec.emulator.setup.EmulatorSetup;
import dev.teec.emulator.setup.Installation;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code teec emulator}: the parent of {@code setup}, {@code image} and {@code nitro-cli}. */
@Command(
    name = "emulator",
    mixinStandardHelpOptions = true,
    description = {
      "Run teec's enclave images under QEMU's nitro-enclave machine (emulated Nitro Enclaves:",
      "real PCRs, a real /dev/nsm in the guest, but unsigned attestation documents)."
    },
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:done",
      "1:a step failed (the message names it and its log)",
      CliSupport.EXIT_USAGE,
      CliSupport.EXIT_INTERNAL
    })
public final class EmulatorCommand implements Runnable {
  @Spec private CommandSpec spec;

  private EmulatorCommand() {}

  /**
   * The {@code emulator} command with its subcommands; the caller installs error handling.
   *
   * @param clock for durations and log names
   * @param environment TEEC_HOME, PATH (the host tools)
   */
  public static CommandLine newCommandLine(Clock clock, Map<String, String> environment) {
    CommandLine cmd = new CommandLine(new EmulatorCommand());
    cmd.addSubcommand(new SetupCommand(clock, environment));
    cmd.addSubcommand(new EmulatorImageCommand(clock, environment));
    cmd.addSubcommand(NitroCliCommand.newCommandLine(environment));
    return cmd;
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing subcommand: setup, image or nitro-cli");
  }

  /** The emulator's directory under TEEC_HOME. */
  static EmulatorHome home(CommandSpec spec, Map<String, String> environment) {
    try {
      return EmulatorHome.resolve(environment, System.getProperty("user.home"));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Prints each step on stderr as it starts: {@code "<prefix>: <step>"}. */
  static Consumer<String> progress(CommandSpec spec, String prefix) {
    PrintWriter err = spec.commandLine().getErr();
    return step -> {
      err.println(prefix + ": " + step);
      err.flush();
    };
  }

  /** Reports a failed step (its name, the reason, the log) on stderr; returns the exit code. */
  static int failed(CommandSpec spec, String prefix, StepFailedException e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(prefix + ": " + e.getMessage());
    err.flush();
    return CliSupport.REJECTED;
  }

  /** The current setup, or a usage error saying to run {@code teec emulator setup}. */
  static Installation installation(
      CommandSpec spec, EmulatorHome home, Map<String, String> environment, Clock clock)
      throws IOException {
    EmulatorSetup setup = new EmulatorSetup(home, ImageRecipe.bundled(), environment, clock);
    return setup
        .current()
        .orElseThrow(
            () ->
                new ParameterException(
                    spec.commandLine(),
                    "the emulator is not set up (or was set up from another recipe) in "
                        + home.root()
                        + ": run 'teec emulator setup' first"));
  }
}
