package dev.teec.cli;

import dev.teec.enclave.nsm.NsmException;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.TeecHome;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.protocol.BuildEvents;
import dev.teec.enclave.protocol.BuildOutcome;
import dev.teec.enclave.protocol.BuildRequest;
import dev.teec.enclave.protocol.Bytes;
import dev.teec.enclave.protocol.ClientHello;
import dev.teec.enclave.protocol.ClientSession;
import dev.teec.enclave.protocol.LogLine;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.enclave.protocol.WorkerMode;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.enclave.runner.SourceArchive;
import dev.teec.enclave.worker.Worker;
import dev.teec.enclave.worker.WorkerConfig;
import dev.teec.enclave.worker.WorkerServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
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
 * {@code teec demo}: builds the bundled sample C program with a local worker (simulated NSM) over
 * the real wire protocol, then verifies the bundle as {@code teec verify bundle --simulated} would.
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
      CliSupport.EXIT_OK, CliSupport.EXIT_REJECTED, CliSupport.EXIT_USAGE, CliSupport.EXIT_INTERNAL
    })
public final class DemoCommand implements Callable<Integer> {
  private static final List<String> SAMPLE_FILES = List.of("build.json", "hello.c");

  private final Clock clock;
  private final Map<String, String> environment;

  @Spec private CommandSpec spec;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the bundle (default: teec-demo-bundle.tar in a new temporary directory).")
  private Path out;

  public DemoCommand(Clock clock, Map<String, String> environment) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Integer call() throws IOException, NsmException, InterruptedException {
    PrintWriter w = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("teec-demo-");
    try {
      Path bundle = out != null ? out.toAbsolutePath() : Files.createTempDirectory("teec-demo-out-").resolve("teec-demo-bundle.tar");
      Path home = TeecHome.resolve(environment, System.getProperty("user.home"));
      SimulatedNsm nsm = SimulatedNsm.open(home, clock,
          WorkerIdentity.of("teec demo worker", "teec demo runtime", "teec demo code"));
      w.println("teec demo: building a sample C program in a local worker with a SIMULATED NSM");
      w.println("  simulated root: " + nsm.directory().resolve("root.pem") + " (trusted only with --simulated)");
      w.flush();

      byte[] archive = sampleArchive(Files.createDirectories(work.resolve("sample")));
      Worker worker = new Worker(WorkerConfig.local(nsm,
          RunnerConfig.defaults().withBuildRoot(work.resolve("build")), "demo", clock));
      UnixSocketTransport transport = new UnixSocketTransport(work.resolve("worker.sock"));
      BuildOutcome outcome;
      Path received = work.resolve("received.tar");
      try (Acceptor acceptor = transport.listen()) {
        WorkerServer server = new WorkerServer(worker,
            WorkerHello.of("teec-worker demo", List.of("build"), WorkerMode.SIMULATED), SessionLimits.DEFAULT,
            work.resolve("spool"));
        Thread serverThread = new Thread(() -> serveOne(server, acceptor), "teec-demo-worker");
        serverThread.start();
        try (ClientSession client = new ClientSession(transport.connect(), ClientHello.of("teec demo"),
                SessionLimits.DEFAULT);
            OutputStream sink = Files.newOutputStream(received)) {
          client.handshake();
          byte[] buildJson = resource("build.json");
          byte[] nonce = new byte[32];
          new java.security.SecureRandom().nextBytes(nonce);
          BuildRequest request = new BuildRequest(Bytes.of(buildJson), Bytes.of(nonce), archive.length,
              Bytes.of(TempFiles.digest("SHA-256", archive)), SourceMetadata.UNKNOWN);
          outcome = client.build(request, new ByteArrayInputStream(archive), new BuildEvents() {
            @Override
            public void onLog(LogLine line) {
              w.println("  | " + HumanReport.safe(line.line()));
              w.flush();
            }
          }, sink);
        }
        serverThread.join();
      }
      if (!outcome.result().success() || outcome.bundle().isEmpty()) {
        w.println("teec demo: the build failed: " + outcome.result().message());
        return CliSupport.REJECTED;
      }
      Files.createDirectories(bundle.getParent());
      Files.move(received, bundle, StandardCopyOption.REPLACE_EXISTING);
      w.println("teec demo: built and attested; bundle " + bundle);
      w.println("teec demo: verifying it with: teec verify bundle --simulated " + bundle);
      w.flush();
      CommandLine verify = TeecVerify.newCommandLine(clock, environment);
      verify.setOut(w);
      verify.setErr(spec.commandLine().getErr());
      int code = verify.execute("bundle", "--simulated", bundle.toString());
      w.println(code == CliSupport.OK
          ? "teec demo: done. The bundle binds the program's SHA-256 to its source and build; the"
              + " attestation is simulated, so only --simulated accepts it."
          : "teec demo: the bundle did not verify (see above).");
      return code;
    } finally {
      TempFiles.deleteTree(work);
    }
  }

  private static void serveOne(WorkerServer server, Acceptor acceptor) {
    try {
      server.serveOne(acceptor.accept());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] sampleArchive(Path dir) throws IOException {
    for (String name : SAMPLE_FILES) {
      Files.write(dir.resolve(name), resource(name));
    }
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    SourceArchive.write(dir, SourceArchive.listFiles(dir), archive);
    return archive.toByteArray();
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
