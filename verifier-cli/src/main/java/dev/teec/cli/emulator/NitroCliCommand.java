package dev.teec.cli.emulator;

import dev.teec.cli.CliSupport;
import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.enclave.EmulatedEnclaves;
import dev.teec.emulator.enclave.EnclaveRecord;
import dev.teec.emulator.enclave.NitroCliJson;
import dev.teec.truststore.eif.EifFormatException;
import dev.teec.truststore.eif.EifReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code teec emulator nitro-cli}: AWS nitro-cli's enclave commands over QEMU, printing nitro-cli's
 * JSON on stdout (errors on stderr, exit 1).
 */
@Command(
    name = "nitro-cli",
    mixinStandardHelpOptions = true,
    description = {
      "A stand-in for AWS nitro-cli over QEMU's nitro-enclave machine: run-enclave,",
      "describe-enclaves, terminate-enclave, describe-eif and console, with nitro-cli's options and JSON."
    },
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:done",
      "1:the command failed (the message says why)",
      CliSupport.EXIT_USAGE,
      CliSupport.EXIT_INTERNAL
    })
final class NitroCliCommand implements Runnable {
  @Spec CommandSpec spec;

  private NitroCliCommand() {}

  static CommandLine newCommandLine(Map<String, String> environment) {
    CommandLine cmd = new CommandLine(new NitroCliCommand());
    cmd.addSubcommand(new RunEnclave(environment));
    cmd.addSubcommand(new DescribeEnclaves(environment));
    cmd.addSubcommand(new TerminateEnclave(environment));
    cmd.addSubcommand(new DescribeEif());
    cmd.addSubcommand(new Console(environment));
    return cmd;
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing subcommand: run-enclave, describe-enclaves, terminate-enclave, describe-eif or console");
  }

  /** The enclaves, with the current setup. */
  static EmulatedEnclaves enclaves(CommandSpec spec, Map<String, String> environment)
      throws IOException {
    EmulatorHome home = EmulatorCommand.home(spec, environment);
    return new EmulatedEnclaves(
        home,
        EmulatorCommand.installation(spec, home, environment, Clock.systemUTC()),
        environment);
  }

  static int fail(CommandSpec spec, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("teec emulator nitro-cli " + spec.name() + ": " + message);
    err.flush();
    return CliSupport.REJECTED;
  }

  static int print(CommandSpec spec, Object json) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(json);
    out.flush();
    return CliSupport.OK;
  }

  @Command(
      name = "run-enclave",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Start an enclave from an EIF; returns once QEMU runs (the worker comes up later).")
  static final class RunEnclave implements Callable<Integer> {
    private final Map<String, String> environment;

    @Spec CommandSpec spec;

    @Option(
        names = "--eif-path",
        required = true,
        paramLabel = "EIF",
        description = "The enclave image.")
    Path eif;

    @Option(names = "--cpu-count", required = true, paramLabel = "N", description = "vCPUs.")
    int cpus;

    @Option(names = "--memory", required = true, paramLabel = "MIB", description = "Memory in MiB.")
    long memoryMib;

    @Option(
        names = "--enclave-cid",
        paramLabel = "CID",
        description = "The enclave's CID (default: the first free from 16).")
    Long cid;

    @Option(
        names = "--debug-mode",
        description = "Report the enclave as in debug mode (the console is always kept).")
    boolean debug;

    RunEnclave(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
      EmulatedEnclaves enclaves = enclaves(spec, environment);
      try {
        EnclaveRecord e =
            enclaves.run(
                eif,
                cpus,
                memoryMib,
                cid == null ? OptionalLong.empty() : OptionalLong.of(cid),
                debug);
        return print(spec, NitroCliJson.started(e));
      } catch (IOException e) {
        return fail(spec, e.getMessage());
      }
    }
  }

  @Command(
      name = "describe-enclaves",
      mixinStandardHelpOptions = true,
      description = "List the running enclaves.")
  static final class DescribeEnclaves implements Callable<Integer> {
    private final Map<String, String> environment;

    @Spec CommandSpec spec;

    DescribeEnclaves(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
      return print(spec, NitroCliJson.described(enclaves(spec, environment).list()));
    }
  }

  @Command(
      name = "terminate-enclave",
      mixinStandardHelpOptions = true,
      description = "Stop an enclave: QEMU, its vsock backend, and every socket of it.")
  static final class TerminateEnclave implements Callable<Integer> {
    private final Map<String, String> environment;

    @Spec CommandSpec spec;

    @Option(names = "--enclave-id", paramLabel = "ID", description = "The enclave to stop.")
    String id;

    @Option(names = "--all", description = "Stop every enclave.")
    boolean all;

    TerminateEnclave(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
      if ((id == null) == !all) {
        throw new ParameterException(spec.commandLine(), "give either --enclave-id ID or --all");
      }
      EmulatedEnclaves enclaves = enclaves(spec, environment);
      if (all) {
        for (EnclaveRecord e : enclaves.list()) {
          enclaves.terminate(e.id()).ifPresent(t -> print(spec, NitroCliJson.terminated(t)));
        }
        return CliSupport.OK;
      }
      Optional<EnclaveRecord> stopped = enclaves.terminate(id);
      return stopped.isPresent()
          ? print(spec, NitroCliJson.terminated(stopped.get()))
          : fail(spec, "no running enclave has the id " + id);
    }
  }

  @Command(
      name = "describe-eif",
      mixinStandardHelpOptions = true,
      description = "Measure an EIF as nitro-cli does.")
  static final class DescribeEif implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--eif-path",
        required = true,
        paramLabel = "EIF",
        description = "The enclave image.")
    Path eif;

    @Override
    public Integer call() throws IOException {
      try {
        return print(spec, NitroCliJson.eif(eif, EifReader.measure(eif)));
      } catch (EifFormatException e) {
        return fail(spec, eif + " is not a well-formed EIF: " + e.getMessage());
      } catch (IOException e) {
        return fail(spec, eif + ": " + CliSupport.describe(e));
      }
    }
  }

  @Command(
      name = "console",
      mixinStandardHelpOptions = true,
      description = "Print what a running enclave has written to its console so far.")
  static final class Console implements Callable<Integer> {
    private final Map<String, String> environment;

    @Spec CommandSpec spec;

    @Option(
        names = "--enclave-id",
        required = true,
        paramLabel = "ID",
        description = "The enclave.")
    String id;

    Console(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
      Optional<Path> console = enclaves(spec, environment).console(id);
      if (console.isEmpty()) {
        return fail(spec, "no running enclave has the id " + id);
      }
      PrintWriter out = spec.commandLine().getOut();
      for (String line : Files.readAllLines(console.get())) {
        out.println(line);
      }
      out.flush();
      return CliSupport.OK;
    }
  }
}
