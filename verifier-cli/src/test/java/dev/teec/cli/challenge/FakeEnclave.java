package dev.teec.cli.challenge;

import dev.teec.builder.launch.CommandRunner;
import dev.teec.builder.launch.VsockConnector;
import dev.teec.cli.build.NitroPlatform;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.enclave.protocol.WorkerMode;
import dev.teec.enclave.protocol.egress.TcpUpstreamConnector;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.enclave.worker.Worker;
import dev.teec.enclave.worker.WorkerConfig;
import dev.teec.enclave.worker.WorkerServer;
import dev.teec.verifier.TrustAnchors;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for a Nitro parent instance: nitro-cli (a command runner answering like it, whose
 * {@code run-enclave} starts a real worker in this JVM that says it runs in an enclave and attests
 * with a simulated NSM), AF_VSOCK (the worker at CID 16, port 5000, over a Unix socket; the egress
 * listener on a Unix socket) and the AWS root (the simulated NSM's root). Every command and event
 * is recorded in order.
 */
final class FakeEnclave implements CommandRunner {
  static final long CID = 16;
  static final String ID = "i-0123456789abcdef0-enc0123456789abcdef";

  final List<String> events = new CopyOnWriteArrayList<>();
  private final Path dir;
  private final Path buildRoot;
  private final SimulatedNsm nsm;

  /** PCR0 that {@code describe-eif} reports; the enclave attests the NSM's own. */
  String eifPcr0;

  private volatile Acceptor acceptor;

  /**
   * @param dir private working directory
   * @param buildRoot where the enclave's worker builds (the original's, for identical paths)
   */
  FakeEnclave(Path dir, Path buildRoot) throws Exception {
    this.dir = dir;
    this.buildRoot = buildRoot;
    this.nsm =
        SimulatedNsm.open(
            dir.resolve("home"), Clock.systemUTC(), WorkerIdentity.of("fake enclave", "r", "c"));
    this.eifPcr0 = hex(nsm.pcrs().get(0));
  }

  /** nitro-cli, vsock and the root of this fake. */
  NitroPlatform platform() {
    VsockConnector vsock =
        (cid, port) -> {
          events.add("connect vsock:" + cid + ":" + port);
          Acceptor a = acceptor;
          if (cid != CID || port != 5000 || a == null) {
            throw new IOException("connection refused (vsock:" + cid + ":" + port + ")");
          }
          return ((UnixSocketTransport) a.endpoint()).connect();
        };
    return new NitroPlatform(
        this,
        vsock,
        (cid, port) -> {
          events.add("egress listen vsock port " + port + " for CID " + cid);
          return new UnixSocketTransport(dir.resolve("egress.sock")).listen();
        },
        () -> TrustAnchors.of(List.of(nsm.rootCertificate())));
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
            "Start allocating memory...\n{\n  \"EnclaveName\": \"teec\",\n  \"EnclaveID\": \""
                + ID
                + "\",\n"
                + "  \"ProcessID\": 4242,\n  \"EnclaveCID\": 16,\n  \"NumberOfCPUs\": 2,\n  \"MemoryMiB\": 4096\n}\n");
      }
      case "describe-enclaves" ->
          ok(
              "[{\"EnclaveName\": \"teec\", \"EnclaveID\": \""
                  + ID
                  + "\", \"ProcessID\": 4242,"
                  + " \"EnclaveCID\": 16, \"NumberOfCPUs\": 2, \"MemoryMiB\": 4096, \"State\": \"RUNNING\", \"Flags\": \"NONE\"}]");
      case "terminate-enclave" -> {
        Acceptor a = acceptor;
        acceptor = null;
        if (a != null) {
          a.close();
        }
        yield ok("{\n  \"EnclaveID\": \"" + ID + "\",\n  \"Terminated\": true\n}\n");
      }
      default -> new CommandResult(2, "", "unknown command " + command.get(1));
    };
  }

  private void startWorker() throws IOException {
    Worker worker =
        new Worker(
            new WorkerConfig(
                nsm,
                true,
                RunnerConfig.defaults().withBuildRoot(buildRoot),
                TcpUpstreamConnector.anyAddress(),
                List.of(),
                null,
                "fake",
                Clock.systemUTC(),
                new SecureRandom()));
    WorkerServer server =
        new WorkerServer(
            worker,
            WorkerHello.of("teec-worker fake-enclave", List.of("build"), WorkerMode.NITRO),
            SessionLimits.DEFAULT,
            dir.resolve("spool"));
    Acceptor a = new UnixSocketTransport(dir.resolve("enclave.sock")).listen();
    Thread t =
        new Thread(
            () -> {
              try {
                server.serve(a);
              } catch (IOException e) {
                // terminated
              }
            },
            "fake-enclave");
    t.setDaemon(true);
    t.start();
    acceptor = a;
  }

  private static CommandResult ok(String stdout) {
    return new CommandResult(0, stdout, "");
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
