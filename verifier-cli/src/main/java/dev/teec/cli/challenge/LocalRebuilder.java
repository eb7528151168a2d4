package dev.teec.cli.challenge;

import dev.teec.builder.client.SourceClaims;
import dev.teec.cli.CliSupport;
import dev.teec.enclave.nsm.NsmException;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.protocol.BuildEvents;
import dev.teec.enclave.protocol.BuildOutcome;
import dev.teec.enclave.protocol.BuildRequest;
import dev.teec.enclave.protocol.ByteString;
import dev.teec.enclave.protocol.ClientHello;
import dev.teec.enclave.protocol.ClientSession;
import dev.teec.enclave.protocol.LogLine;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.enclave.protocol.WorkerMode;
import dev.teec.enclave.protocol.egress.UpstreamConnector;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import dev.teec.enclave.runner.HostToolchains;
import dev.teec.enclave.runner.IsolationMode;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.enclave.worker.Worker;
import dev.teec.enclave.worker.WorkerConfig;
import dev.teec.enclave.worker.WorkerServer;
import dev.teec.formats.files.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rebuilds with a worker in this process, as {@code teec demo} does: a {@link WorkerServer} on a
 * Unix socket in a temporary directory, a simulated NSM in {@code TEEC_HOME}, and the build request
 * sent over the real wire protocol. The build runs in {@code buildRoot} (the same path as the
 * original's matters for compilers that embed paths), in a network namespace when this machine
 * allows one (else without isolation, which the rebuilt report says).
 */
final class LocalRebuilder implements Rebuilder {
  private final Path teecHome;
  private final Path buildRoot;
  private final UpstreamConnector upstream;
  private final Clock clock;

  LocalRebuilder(Path teecHome, Path buildRoot, UpstreamConnector upstream, Clock clock) {
    this.teecHome = Objects.requireNonNull(teecHome, "teecHome");
    this.buildRoot = Objects.requireNonNull(buildRoot, "buildRoot");
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String describe() {
    return "locally with a simulated NSM, in " + buildRoot;
  }

  @Override
  public void rebuild(Request request)
      throws ChallengeException, IOException, InterruptedException {
    SimulatedNsm nsm;
    try {
      nsm =
          SimulatedNsm.open(
              teecHome,
              clock,
              WorkerIdentity.of(
                  "teec challenge reproduce worker", "teec local runtime", "teec local code"));
    } catch (NsmException e) {
      throw new ChallengeException(
          CliSupport.INTERNAL,
          "cannot open the simulated NSM in " + teecHome + ": " + e.getMessage(),
          e);
    }
    RunnerConfig runner =
        RunnerConfig.defaults()
            .withBuildRoot(buildRoot)
            .withIsolation(
                IsolationMode.networkNamespacesAvailable()
                    ? IsolationMode.NETWORK_NAMESPACE
                    : IsolationMode.NONE);
    if (request.path().isPresent()) {
      runner = runner.withPath(request.path().get());
    }
    // The host's toolchains, as the original local build had them; they are recorded again.
    runner =
        runner.withHostToolchains(
            new HostToolchains(new TreeMap<>(request.toolchainEnvironment())));
    WorkerConfig config =
        new WorkerConfig(
            nsm, false, runner, upstream, List.of(), null, "reproduce", clock, new SecureRandom());
    if (request.replay().isPresent()) {
      config = config.withReplay(request.replay().get());
    }
    Path work = Files.createTempDirectory("teec-reproduce-worker-");
    try {
      UnixSocketTransport transport = new UnixSocketTransport(work.resolve("worker.sock"));
      BuildOutcome outcome;
      Path received = work.resolve("received.tar");
      AtomicReference<Throwable> serverFailure = new AtomicReference<>();
      try (Acceptor acceptor = transport.listen()) {
        WorkerServer server =
            new WorkerServer(
                new Worker(config),
                WorkerHello.of("teec-worker reproduce", List.of("build"), WorkerMode.SIMULATED),
                SessionLimits.DEFAULT,
                work.resolve("spool"));
        Thread serverThread =
            new Thread(
                () -> {
                  try {
                    server.serveOne(acceptor.accept());
                  } catch (IOException | RuntimeException e) {
                    serverFailure.set(e);
                  }
                },
                "teec-reproduce-worker");
        serverThread.setDaemon(true);
        serverThread.start();
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        try (ClientSession client =
                new ClientSession(
                    transport.connect(),
                    ClientHello.of("teec challenge reproduce"),
                    SessionLimits.DEFAULT);
            InputStream archive = Files.newInputStream(request.packed().archive());
            OutputStream sink = Files.newOutputStream(received)) {
          client.handshake();
          BuildRequest build =
              new BuildRequest(
                  ByteString.of(request.buildJson()),
                  ByteString.of(nonce),
                  request.packed().size(),
                  ByteString.fromHex(request.packed().sha256()),
                  request.source());
          outcome =
              client.build(
                  build,
                  SourceClaims.treeObjects(request.source(), request.packed()),
                  archive,
                  new BuildEvents() {
                    @Override
                    public void onLog(LogLine line) {
                      request.progress().log(line);
                    }
                  },
                  sink);
        }
        serverThread.join(TimeUnit.SECONDS.toMillis(30));
      }
      if (!outcome.result().success() || outcome.bundle().isEmpty()) {
        Throwable server = serverFailure.get();
        throw new ChallengeException(
                CliSupport.REJECTED,
                "the rebuild failed: "
                    + outcome.result().message()
                    + (server != null ? " (worker: " + server.getMessage() + ")" : ""))
            .next(Rebuilder.REBUILD_FAILED);
      }
      Files.createDirectories(request.bundleOut().toAbsolutePath().getParent());
      Files.move(received, request.bundleOut(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      FileTrees.deleteQuietly(work);
    }
  }
}
