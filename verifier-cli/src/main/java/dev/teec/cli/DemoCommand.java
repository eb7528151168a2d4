package dev.teec.cli;

import dev.teec.builder.client.BuildClient;
import dev.teec.builder.client.BuildException;
import dev.teec.builder.client.BuildPlan;
import dev.teec.builder.client.TrustRoots;
import dev.teec.builder.launch.LocalWorkerLauncher;
import dev.teec.builder.launch.LocalWorkerSettings;
import dev.teec.builder.progress.Progress;
import dev.teec.builder.progress.TerminalText;
import dev.teec.builder.source.PackedSource;
import dev.teec.builder.source.SourcePacker;
import dev.teec.builder.source.SourceSelector;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.TeecHome;
import dev.teec.enclave.protocol.LogLine;
import dev.teec.formats.files.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code teec demo}: builds the bundled sample C program as {@code teec build --mode local} does (a
 * separate worker process with the simulated NSM, over the real wire protocol), then verifies the
 * bundle with {@code teec verify bundle --simulated --any-image}: a local worker has no enclave
 * image to identify, so the demo accepts any image explicitly, and the output says so.
 */
@Command(
    name = "demo",
    description = {
      "Build a small bundled C program with a local worker (simulated NSM) and verify the bundle.",
      "Needs gcc. Nothing here runs on Nitro hardware: the attestation is simulated and says so."
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
public final class DemoCommand implements Callable<Integer> {
  private static final List<String> SAMPLE_FILES = List.of("build.json", "hello.c");

  private final Clock clock;
  private final Map<String, String> environment;

  @Spec private CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Where to write the bundle (default: teec-demo-bundle.tar in a new temporary directory).")
  private Path out;

  public DemoCommand(Clock clock, Map<String, String> environment) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter w = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("teec-demo-");
    try {
      Path bundle =
          out != null
              ? out.toAbsolutePath()
              : Files.createTempDirectory("teec-demo-out-").resolve("teec-demo-bundle.tar");
      Path home = TeecHome.resolve(environment, System.getProperty("user.home"));
      w.println("teec demo: building a sample C program in a local worker with a SIMULATED NSM");
      w.println(
          "  simulated root: "
              + home.resolve(SimulatedNsm.DIRECTORY).resolve("root.pem")
              + " (trusted only with --simulated)");
      w.flush();

      Path sample = Files.createDirectories(work.resolve("sample"));
      for (String name : SAMPLE_FILES) {
        Files.write(sample.resolve(name), resource(name));
      }
      PackedSource source =
          SourcePacker.pack(new SourceSelector().select(sample, false, List.of()), work);
      // The same worker as in an enclave, as a separate process on a Unix socket; only the NSM is
      // simulated.
      LocalWorkerLauncher launcher =
          new LocalWorkerLauncher(
              LocalWorkerSettings.ofThisJvm(home).withBuildRoot(work.resolve("build")));
      BuildClient client = new BuildClient(clock, new SecureRandom(), "teec demo");
      Thread hook =
          new Thread(
              () -> {
                client.abort(Duration.ofSeconds(30));
                FileTrees.deleteQuietly(work); // best effort while the JVM exits
              },
              "teec-demo-interrupted");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        client.run(
            new BuildPlan(resource("build.json"), source, bundle, TrustRoots.simulated(home)),
            launcher,
            new DemoProgress(w));
      } catch (BuildException e) {
        w.println("teec demo: the build failed: " + TerminalText.safe(e.getMessage()));
        w.flush();
        CliSupport.next(
            spec.commandLine().getErr(),
            "the demo builds C: install gcc, or fix what the log above shows, and run it again");
        return CliSupport.REJECTED;
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // Shutting down: the hook cleans up.
        }
      }
      w.println("teec demo: built and attested; bundle " + bundle);
      w.println(
          "teec demo: verifying it with: teec verify bundle --simulated --any-image " + bundle);
      w.flush();
      CommandLine verify = TeecVerify.newCommandLine(clock, environment);
      verify.setOut(w);
      verify.setErr(spec.commandLine().getErr());
      int code = verify.execute("bundle", "--simulated", "--any-image", bundle.toString());
      w.println(
          code == CliSupport.OK
              ? "teec demo: done. The bundle binds the program's SHA-256 to its source and build; the"
                  + " attestation is simulated, so only --simulated accepts it, and a local worker"
                  + " has no enclave image to identify, so only --any-image does."
              : "teec demo: the bundle did not verify (see above).");
      w.flush();
      if (code == CliSupport.OK) {
        CliSupport.next(
            spec.commandLine().getErr(),
            "build your own project: add a build.json (README, Quick start) and run 'teec build"
                + " . --mode local'");
      }
      return code;
    } finally {
      FileTrees.delete(work);
    }
  }

  /** Short progress lines for a newcomer: the phases and the build's own output. */
  private static final class DemoProgress implements Progress {
    private final PrintWriter w;

    DemoProgress(PrintWriter w) {
      this.w = w;
    }

    @Override
    public synchronized void phase(String text) {
      w.println("  - " + text);
      w.flush();
    }

    @Override
    public synchronized void log(LogLine line) {
      w.println("  | " + TerminalText.safe(line.line()));
      w.flush();
    }

    @Override
    public void transfer(String what, long done, long total) {}

    @Override
    public synchronized void note(String text) {
      if (text.startsWith("worker: ")) {
        return; // which process runs it does not matter to a newcomer
      }
      w.println("    (" + TerminalText.safe(text) + ")");
      w.flush();
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
      if (in == null) {
        throw new IOException("sample file demo/" + name + " is missing from the jar");
      }
      return in.readAllBytes();
    }
  }
}
