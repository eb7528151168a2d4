package dev.teec.builder.launch;

import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.enclave.protocol.WorkerMode;
import dev.teec.enclave.protocol.egress.TcpUpstreamConnector;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.Connection;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.enclave.worker.Worker;
import dev.teec.enclave.worker.WorkerConfig;
import dev.teec.enclave.worker.WorkerServer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for nitro-cli and the enclave: {@code run-enclave} starts a real worker (in this JVM,
 * saying it is in an enclave, attesting with a simulated NSM) reachable through the fake vsock
 * connector at CID 16, port 5000; {@code terminate-enclave} stops it. Every command and every event
 * is recorded in order.
 */
final class FakeNitro implements CommandRunner {
  static final long CID = 16;
  static final String ID = "i-0123456789abcdef0-enc0123456789abcdef";

  final List<String> events = new CopyOnWriteArrayList<>();
  final SimulatedNsm nsm;
  private final Path dir;
  String flags = "NONE";
  String eifPcr0;
  int failConnects;
  boolean refuseTerminate;

  /** The enclave has stopped by itself: describe-enclaves lists nothing, nothing answers. */
  volatile boolean exited;

  WorkerMode mode = WorkerMode.NITRO;
  private volatile Acceptor acceptor;

  FakeNitro(Path dir) throws Exception {
    this.dir = dir;
    this.nsm =
        SimulatedNsm.open(
            dir.resolve("home"), Clock.systemUTC(), WorkerIdentity.of("fake enclave", "r", "c"));
    this.eifPcr0 = hex(nsm.pcrs().get(0));
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Override
  public CommandResult run(List<String> command, Duration timeout) throws IOException {
    events.add(String.join(" ", command));
    return switch (command.get(1)) {
      case "describe-eif" ->
          ok(
              "{\"EifVersion\": 4, \"Measurements\": {\"HashAlgorithm\": \"Sha384 { ... }\","
                  + " \"PCR0\": \""
                  + eifPcr0
                  + "\", \"PCR1\": \""
                  + hex(nsm.pcrs().get(1))
                  + "\", \"PCR2\": \""
                  + hex(nsm.pcrs().get(2))
                  + "\"}, \"IsSigned\": false}\n");
      case "run-enclave" -> {
        startWorker();
        yield ok(
            "Start allocating memory...\nStarted enclave with enclave-cid: 16, memory: 4096 MiB, cpu-ids: [1, 3]\n"
                + "{\n  \"EnclaveName\": \"teec\",\n  \"EnclaveID\": \""
                + ID
                + "\",\n  \"ProcessID\": 4242,\n"
                + "  \"EnclaveCID\": 16,\n  \"NumberOfCPUs\": 2,\n  \"CPUIDs\": [1, 3],\n  \"MemoryMiB\": 4096\n}\n");
      }
      case "describe-enclaves" ->
          exited
              ? ok("[]")
              : ok(
                  "[{\"EnclaveName\": \"teec\", \"EnclaveID\": \""
                      + ID
                      + "\", \"ProcessID\": 4242,"
                      + " \"EnclaveCID\": 16, \"NumberOfCPUs\": 2, \"CPUIDs\": [1, 3], \"MemoryMiB\": 4096, \"State\": \"RUNNING\","
                      + " \"Flags\": \""
                      + flags
                      + "\"}]");
      case "terminate-enclave" -> {
        if (exited) {
          yield new CommandResult(1, "", "no such enclave " + ID);
        }
        if (refuseTerminate) {
          yield new CommandResult(1, "", "E39 Enclave process connection failure");
        }
        stopWorker();
        yield ok(
            "Successfully terminated enclave "
                + ID
                + ".\n{\n  \"EnclaveID\": \""
                + ID
                + "\",\n  \"Terminated\": true\n}\n");
      }
      default -> new CommandResult(2, "", "unknown command " + command.get(1));
    };
  }

  /** The fake AF_VSOCK: only the enclave's CID and the worker port answer, once it runs. */
  VsockConnector vsock() {
    return (cid, port) -> {
      events.add("connect vsock:" + cid + ":" + port);
      if (cid != CID || port != 5000) {
        throw new IOException("connection refused (vsock:" + cid + ":" + port + ")");
      }
      if (failConnects > 0) {
        failConnects--;
        throw new IOException("connection reset (the enclave is still booting)");
      }
      Acceptor a = acceptor;
      if (a == null) {
        throw new IOException("no enclave running");
      }
      Connection c = ((UnixSocketTransport) a.endpoint()).connect();
      return c;
    };
  }

  NitroLauncher.EgressStarter egress() {
    return (cid, notes) -> {
      events.add("egress started for CID " + cid);
      return () -> events.add("egress stopped");
    };
  }

  private void startWorker() throws IOException {
    Worker worker =
        new Worker(
            new WorkerConfig(
                nsm,
                true,
                RunnerConfig.defaults().withBuildRoot(dir.resolve("build")),
                TcpUpstreamConnector.anyAddress(),
                List.of(),
                null,
                "fake",
                Clock.systemUTC(),
                new SecureRandom()));
    WorkerServer server =
        new WorkerServer(
            worker,
            WorkerHello.of("teec-worker fake-enclave", List.of("build"), mode),
            SessionLimits.DEFAULT,
            dir.resolve("spool"));
    Acceptor a = new UnixSocketTransport(dir.resolve("enclave.sock")).listen();
    Thread t =
        new Thread(
            () -> {
              try {
                server.serve(a);
              } catch (IOException e) {
                // stopped
              }
            },
            "fake-enclave");
    t.setDaemon(true);
    t.start();
    acceptor = a;
  }

  private void stopWorker() throws IOException {
    Acceptor a = acceptor;
    acceptor = null;
    if (a != null) {
      a.close();
    }
  }

  private static CommandResult ok(String stdout) {
    return new CommandResult(0, stdout, "");
  }

  Map<Integer, byte[]> pcrs() {
    return nsm.pcrs();
  }
}
