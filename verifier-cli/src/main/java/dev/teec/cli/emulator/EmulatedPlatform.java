package dev.teec.cli.emulator;

import dev.teec.builder.client.TrustRoots;
import dev.teec.builder.launch.CommandRunner;
import dev.teec.cli.build.NitroPlatform;
import dev.teec.emulator.enclave.EmulatedEnclaves;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The emulated Nitro parent (SPEC E3, E4): nitro-cli is {@code teec emulator nitro-cli}, run in
 * this process; vsock to the enclave and the enclave's egress connections go through the vsock
 * backend's Unix sockets in the enclave's run directory (hybrid vsock). The attestation has no
 * root: QEMU's NSM signs nothing, and the build's launcher asks the bundle check to accept that.
 */
public final class EmulatedPlatform {
  private EmulatedPlatform() {}

  /**
   * The platform over the current emulator setup in {@code TEEC_HOME}.
   *
   * @param spec the command asking, for usage errors
   * @throws picocli.CommandLine.ParameterException if the emulator is not set up
   */
  public static NitroPlatform of(CommandSpec spec, Map<String, String> environment)
      throws IOException {
    var home = EmulatorCommand.home(spec, environment);
    EmulatedEnclaves enclaves =
        new EmulatedEnclaves(
            home,
            EmulatorCommand.installation(spec, home, environment, Clock.systemUTC()),
            environment);
    return new NitroPlatform(
        nitroCli(environment),
        (cid, port) -> enclaves.vsock(cid, port).connect(),
        (cid, port) -> enclaves.vsock(cid, port).listen(),
        TrustRoots.awsNitro(),
        true,
        Optional.of(
            EmulatedImages.forBuilds(
                spec,
                environment,
                Clock.systemUTC(),
                EmulatorCommand.progress(spec, spec.qualifiedName(" ")))));
  }

  /**
   * Runs {@code [name, subcommand, options...]} as {@code teec emulator nitro-cli subcommand
   * options...} in this process, with its output captured as a process's would be. The stand-in
   * waits for the guest itself (at most 240 s), so {@code timeout} is not needed.
   */
  private static CommandRunner nitroCli(Map<String, String> environment) {
    return (command, timeout) -> {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = NitroCliCommand.newCommandLine(environment);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      List<String> args = command.subList(1, command.size());
      int code = cli.execute(args.toArray(String[]::new));
      return new CommandRunner.CommandResult(code, out.toString(), err.toString());
    };
  }
}
