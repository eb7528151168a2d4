package dev.teec.enclave.worker;

import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.enclave.protocol.WorkerMode;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import dev.teec.enclave.runner.RunnerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A local worker with a simulated NSM, served by a {@link WorkerServer} on a Unix socket below
 * {@code dir}, for tests that speak the wire protocol to it.
 */
final class ServedWorker implements AutoCloseable {
  final SimulatedNsm nsm;
  final UnixSocketTransport transport;
  private final Acceptor acceptor;
  private final Thread serverThread;

  ServedWorker(Path dir, WorkerServer.Timeouts timeouts) throws Exception {
    nsm =
        SimulatedNsm.open(dir.resolve("home"), Clock.systemUTC(), WorkerIdentity.of("t", "r", "c"));
    Worker worker =
        new Worker(
            WorkerConfig.local(
                nsm,
                RunnerConfig.defaults().withBuildRoot(dir.resolve("build")),
                "test",
                Clock.systemUTC()));
    WorkerServer server =
        new WorkerServer(
            worker,
            WorkerHello.of("teec-worker test", List.of("build"), WorkerMode.SIMULATED),
            SessionLimits.DEFAULT,
            dir.resolve("spool"),
            timeouts);
    transport = new UnixSocketTransport(dir.resolve("worker.sock"));
    acceptor = transport.listen();
    serverThread =
        new Thread(
            () -> {
              try {
                server.serve(acceptor);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    serverThread.start();
  }

  /** Stops accepting and waits for the running session to end. */
  @Override
  public void close() throws Exception {
    acceptor.close();
    serverThread.join(10_000);
  }
}
