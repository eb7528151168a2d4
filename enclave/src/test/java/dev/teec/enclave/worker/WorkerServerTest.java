package dev.teec.enclave.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.protocol.BuildEvents;
import dev.teec.enclave.protocol.BuildOutcome;
import dev.teec.enclave.protocol.BuildRequest;
import dev.teec.enclave.protocol.ByteString;
import dev.teec.enclave.protocol.ClientHello;
import dev.teec.enclave.protocol.ClientSession;
import dev.teec.enclave.protocol.ErrorCode;
import dev.teec.enclave.protocol.LogLine;
import dev.teec.enclave.protocol.RemoteErrorException;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import dev.teec.enclave.runner.SourceArchive;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Policy;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client and worker over a real Unix socket, speaking the wire protocol. */
class WorkerServerTest {
  @TempDir Path tmp;
  private ServedWorker served;
  private SimulatedNsm nsm;
  private UnixSocketTransport transport;

  @BeforeEach
  void start() throws Exception {
    start(WorkerServer.Timeouts.DEFAULT);
  }

  private void start(WorkerServer.Timeouts timeouts) throws Exception {
    served = new ServedWorker(tmp, timeouts);
    nsm = served.nsm;
    transport = served.transport;
  }

  @AfterEach
  void stop() throws Exception {
    served.close();
  }

  private static byte[] archive(Path dir, String buildJson, String... files) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("build.json"), buildJson);
    for (int i = 0; i < files.length; i += 2) {
      Files.writeString(dir.resolve(files[i]), files[i + 1]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SourceArchive.write(dir, SourceArchive.listFiles(dir), out);
    return out.toByteArray();
  }

  private final List<dev.teec.enclave.protocol.BuildPhase> phases = new CopyOnWriteArrayList<>();

  private BuildOutcome build(
      String buildJson,
      byte[] archive,
      byte[] nonce,
      List<String> log,
      ByteArrayOutputStream bundle)
      throws Exception {
    try (ClientSession client =
        new ClientSession(transport.connect(), ClientHello.of("test"), SessionLimits.DEFAULT)) {
      WorkerHello hello = client.handshake();
      assertThat(hello.simulated()).isTrue();
      BuildRequest request =
          new BuildRequest(
              ByteString.of(buildJson.getBytes(StandardCharsets.UTF_8)),
              ByteString.of(nonce),
              archive.length,
              ByteString.of(MessageDigest.getInstance("SHA-256").digest(archive)),
              SourceMetadata.UNKNOWN);
      return client.build(
          request,
          new ByteArrayInputStream(archive),
          new BuildEvents() {
            @Override
            public void onLog(LogLine line) {
              log.add(line.line());
            }

            @Override
            public void onPhase(dev.teec.enclave.protocol.BuildPhase phase) {
              phases.add(phase);
            }
          },
          bundle);
    }
  }

  @Test
  void session_gccBuild_streamsLogsAndAVerifiableBundle() throws Exception {
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"echo building; gcc -o hello hello.c\"},"
            + "\"output\":{\"files\":[\"hello\"]}}";
    byte[] nonce = new byte[32];
    nonce[0] = 7;
    List<String> log = new CopyOnWriteArrayList<>();
    ByteArrayOutputStream bundle = new ByteArrayOutputStream();
    BuildOutcome outcome =
        build(
            buildJson,
            archive(tmp.resolve("src"), buildJson, "hello.c", "int main(void) { return 0; }\n"),
            nonce,
            log,
            bundle);

    assertThat(outcome.result().success()).as(outcome.result().message()).isTrue();
    assertThat(log).contains("building");
    assertThat(phases)
        .containsExactly(
            dev.teec.enclave.protocol.BuildPhase.RECEIVING,
            dev.teec.enclave.protocol.BuildPhase.BUILDING,
            dev.teec.enclave.protocol.BuildPhase.ATTESTING,
            dev.teec.enclave.protocol.BuildPhase.SENDING);
    Path file = tmp.resolve("received.tar");
    Files.write(file, bundle.toByteArray());
    ReadBundle read =
        new BundleReader(BundleLimits.defaults())
            .read(file, Files.createDirectories(tmp.resolve("x")));
    read.checkConsistency();
    var verdict =
        AttestationVerifier.builder()
            .trustAnchors(TrustAnchors.of(List.of(nsm.rootCertificate())))
            .build()
            .verify(
                read.attestationCbor(),
                VerificationOptions.builder()
                    .policy(Policy.builder().expectNonce(dev.teec.verifier.Bytes.of(nonce)).build())
                    .build());
    assertThat(verdict.failedChecks()).isEmpty();
  }

  @Test
  void session_failingBuild_resultWithoutBundle() throws Exception {
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"echo broken >&2; exit 2\"},"
            + "\"output\":{\"files\":[\"hello\"]}}";
    List<String> log = new CopyOnWriteArrayList<>();
    ByteArrayOutputStream bundle = new ByteArrayOutputStream();
    BuildOutcome outcome =
        build(buildJson, archive(tmp.resolve("src"), buildJson), new byte[16], log, bundle);
    assertThat(outcome.result().success()).isFalse();
    assertThat(outcome.result().exitCode()).isEqualTo(2);
    assertThat(outcome.bundle()).isEmpty();
    assertThat(bundle.size()).isZero();
    assertThat(log).contains("broken");
  }

  @Test
  void session_invalidBuildJson_isRefusedBeforeTheSourceIsSent() throws Exception {
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"true\"},\"output\":{\"files\":[\"/etc/passwd\"]}}";
    assertThatThrownBy(
            () ->
                build(
                    buildJson,
                    archive(tmp.resolve("src"), "{}"),
                    new byte[16],
                    new CopyOnWriteArrayList<>(),
                    new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            RemoteErrorException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage()).contains("$.output.files[0]");
            });
  }

  @Test
  void session_serverKeepsServingAfterABadClient() throws Exception {
    try (var raw = transport.connect()) {
      raw.output().write(new byte[] {0, 0, 0, 3, 1, 2, 3});
      raw.output().flush();
    }
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"touch out\"},\"output\":{\"files\":[\"out\"]}}";
    assertThat(buildWhenFree(buildJson).result().success()).isTrue();
  }

  /**
   * A build by a client that arrives right after another one left: that session may still be
   * ending, so the client may be told busy, and tries again as a client sharing a worker should.
   */
  private BuildOutcome buildWhenFree(String buildJson) throws Exception {
    byte[] archive = archive(tmp.resolve("src"), buildJson);
    for (int attempt = 0; ; attempt++) {
      try {
        return build(
            buildJson,
            archive,
            new byte[16],
            new CopyOnWriteArrayList<>(),
            new ByteArrayOutputStream());
      } catch (RemoteErrorException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
        assertThat(attempt).as("still busy after the previous client left").isLessThan(50);
        Thread.sleep(100);
      }
    }
  }

  @Test
  void session_clientVanishesMidBuild_buildIsKilled() throws Exception {
    String marker = "37.4242";
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"sleep "
            + marker
            + "\"},"
            + "\"output\":{\"files\":[\"x\"]}}";
    byte[] archive = archive(tmp.resolve("src"), buildJson);
    ClientSession client =
        new ClientSession(transport.connect(), ClientHello.of("test"), SessionLimits.DEFAULT);
    client.handshake();
    client.sendBuildRequest(
        new BuildRequest(
            ByteString.of(buildJson.getBytes(StandardCharsets.UTF_8)),
            ByteString.of(new byte[16]),
            archive.length,
            ByteString.of(MessageDigest.getInstance("SHA-256").digest(archive)),
            SourceMetadata.UNKNOWN));
    client.sendSource(new ByteArrayInputStream(archive), BuildEvents.NONE);
    assertThat(waitFor(() -> sleepers(marker) > 0)).as("the build started").isTrue();

    client.close();

    assertThat(waitFor(() -> sleepers(marker) == 0)).as("the build's process is gone").isTrue();
  }

  @Test
  void session_secondClientWhileBuilding_isToldBusyAndTheFirstBuildGoesOn() throws Exception {
    String marker = "37.4343";
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"sleep "
            + marker
            + "\"},"
            + "\"output\":{\"files\":[\"x\"]}}";
    byte[] archive = archive(tmp.resolve("src"), buildJson);
    ClientSession first =
        new ClientSession(transport.connect(), ClientHello.of("test"), SessionLimits.DEFAULT);
    first.handshake();
    first.sendBuildRequest(
        new BuildRequest(
            ByteString.of(buildJson.getBytes(StandardCharsets.UTF_8)),
            ByteString.of(new byte[16]),
            archive.length,
            ByteString.of(MessageDigest.getInstance("SHA-256").digest(archive)),
            SourceMetadata.UNKNOWN));
    first.sendSource(new ByteArrayInputStream(archive), BuildEvents.NONE);
    assertThat(waitFor(() -> sleepers(marker) > 0)).as("the first build started").isTrue();

    try (ClientSession second =
        new ClientSession(transport.connect(), ClientHello.of("test"), SessionLimits.DEFAULT)) {
      assertThatThrownBy(second::handshake)
          .isInstanceOfSatisfying(
              RemoteErrorException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
                assertThat(e.getMessage()).contains("another build");
              });
    }
    assertThat(sleepers(marker)).as("the first build is still running").isPositive();

    first.close();
    assertThat(waitFor(() -> sleepers(marker) == 0))
        .as("the first build's process is gone")
        .isTrue();
  }

  @Test
  void session_silentClient_isDisconnectedAfterTheRequestTimeout_andTheWorkerServesTheNextOne()
      throws Exception {
    stop();
    start(
        new WorkerServer.Timeouts(
            java.time.Duration.ofMillis(300), java.time.Duration.ofSeconds(30)));
    try (var silent = transport.connect()) {
      // Nothing is sent; the worker must give up on its own and close the connection.
      assertThat(silent.input().read()).isEqualTo(-1);
    }
    String buildJson =
        "{\"language\":\"c\",\"input\":{\"cmd\":\"touch out\"},\"output\":{\"files\":[\"out\"]}}";
    assertThat(buildWhenFree(buildJson).result().success()).isTrue();
  }

  private static long sleepers(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("sleep " + marker)).orElse(false))
        .count();
  }

  private static boolean waitFor(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
