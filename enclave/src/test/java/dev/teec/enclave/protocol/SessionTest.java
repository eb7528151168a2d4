package dev.teec.enclave.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.Connection;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SessionTest {

  private static final WorkerHello WORKER_HELLO =
      WorkerHello.of("test-worker", List.of("c"), WorkerMode.SIMULATED);
  private static final ClientHello CLIENT_HELLO = ClientHello.of("test-client");

  @TempDir Path dir;

  private final FrameCodec codec = new FrameCodec();
  private final List<ProtocolException> aborts = new CopyOnWriteArrayList<>();
  private ExecutorService pool;
  private Connection clientSide;
  private Connection workerSide;

  @BeforeEach
  void connect() throws IOException {
    pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "session-test");
              t.setDaemon(true);
              return t;
            });
    try (Acceptor acceptor = new UnixSocketTransport(dir.resolve("w.sock")).listen()) {
      clientSide = acceptor.endpoint().connect();
      workerSide = acceptor.accept();
    }
  }

  @AfterEach
  void close() throws IOException {
    clientSide.close();
    workerSide.close();
    pool.shutdownNow();
  }

  @Test
  void build_successfulBuild_streamsSourceLogsAndVerifiedBundle() throws Exception {
    byte[] source = random(600_000, 1);
    byte[] bundle = random(700_000, 2);
    BuildRequest request = SampleFrames.buildRequest(source.length, sha256(source));
    Future<byte[]> worker =
        pool.submit(
            () -> {
              WorkerSession session = newWorkerSession();
              assertThat(session.handshake()).isEqualTo(CLIENT_HELLO);
              assertThat(session.receiveBuildRequest()).isEqualTo(request);
              ByteArrayOutputStream received = new ByteArrayOutputStream();
              StreamDigest digest = session.receiveSource(received);
              assertThat(digest).isEqualTo(new StreamDigest(source.length, sha256(source)));
              Future<?> watcher =
                  pool.submit(
                      () -> {
                        session.watchPeer();
                        return null;
                      });
              session.sendPhase(BuildPhase.BUILDING);
              List<Future<?>> pumps = new ArrayList<>();
              for (LogStream stream : List.of(LogStream.STDOUT, LogStream.STDERR)) {
                pumps.add(
                    pool.submit(
                        () -> {
                          for (int i = 0; i < 100; i++) {
                            session.sendLog(stream, stream + " " + i);
                          }
                          return null;
                        }));
              }
              for (Future<?> pump : pumps) {
                pump.get();
              }
              session.sendPhase(BuildPhase.SENDING);
              session.sendBundle(new ByteArrayInputStream(bundle), bundle.length, sha256(bundle));
              session.sendResult(new Result(true, 0, "built"));
              assertThat(session.sendLog(LogStream.STDOUT, "late line")).isFalse();
              session.close();
              watcher.get(10, TimeUnit.SECONDS);
              return received.toByteArray();
            });
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    RecordingEvents events = new RecordingEvents();
    ByteArrayOutputStream bundleOut = new ByteArrayOutputStream();

    assertThat(client.handshake()).isEqualTo(WORKER_HELLO);
    BuildOutcome outcome =
        client.build(request, new ByteArrayInputStream(source), events, bundleOut);
    client.close();

    assertThat(outcome.result()).isEqualTo(new Result(true, 0, "built"));
    assertThat(outcome.bundle()).contains(new StreamDigest(bundle.length, sha256(bundle)));
    assertThat(bundleOut.toByteArray()).isEqualTo(bundle);
    assertThat(worker.get(10, TimeUnit.SECONDS)).isEqualTo(source);
    assertThat(events.phases)
        .containsExactly(BuildPhase.RECEIVING, BuildPhase.BUILDING, BuildPhase.SENDING);
    assertThat(events.bundleStarts).containsExactly(new BundleStart(bundle.length, sha256(bundle)));
    for (LogStream stream : List.of(LogStream.STDOUT, LogStream.STDERR)) {
      List<String> lines =
          events.logs.stream().filter(l -> l.stream() == stream).map(LogLine::line).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        expected.add(stream + " " + i);
      }
      assertThat(lines).containsExactlyElementsOf(expected);
    }
    assertThat(aborts).isEmpty();
  }

  @Test
  void build_failedBuild_endsWithResultAndNoBundle() throws Exception {
    BuildRequest request = SampleFrames.buildRequest(0, sha256(new byte[0]));
    Future<?> worker =
        pool.submit(
            () -> {
              WorkerSession session = newWorkerSession();
              session.handshake();
              session.receiveBuildRequest();
              session.receiveSource(new ByteArrayOutputStream());
              session.sendPhase(BuildPhase.BUILDING);
              session.sendLog(LogStream.STDERR, "error: undefined reference to `main'");
              assertThatThrownBy(() -> session.sendResult(new Result(true, 0, "")))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("bundle");
              session.sendResult(new Result(false, 1, "build command exited with 1"));
              session.close();
              return null;
            });
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();
    RecordingEvents events = new RecordingEvents();

    BuildOutcome outcome =
        client.build(
            request, new ByteArrayInputStream(new byte[0]), events, new ByteArrayOutputStream());

    worker.get(10, TimeUnit.SECONDS);
    assertThat(outcome.result().success()).isFalse();
    assertThat(outcome.result().exitCode()).isEqualTo(1);
    assertThat(outcome.bundle()).isEmpty();
    assertThat(events.logs)
        .extracting(LogLine::line)
        .containsExactly("error: undefined reference to `main'");
  }

  @Test
  void worker_clientClosesBeforeTheResultWriteReturns_watchPeerEndsNormally() throws Exception {
    // The client may read the result and close before the worker's write of it returns. Here the
    // write is held until the watcher has seen the end of stream, which is how the race went when
    // it made the session abort after a successful build.
    CountDownLatch watcherDone = new CountDownLatch(1);
    HeldFlush held = new HeldFlush(workerSide, watcherDone);
    Future<ProtocolException> watched =
        pool.submit(
            () -> {
              WorkerSession session =
                  new WorkerSession(held, WORKER_HELLO, SessionLimits.DEFAULT, aborts::add);
              session.handshake();
              session.receiveBuildRequest();
              session.receiveSource(new ByteArrayOutputStream());
              Future<ProtocolException> watcher =
                  pool.submit(
                      () -> {
                        try {
                          return catchProtocol(session::watchPeer);
                        } finally {
                          watcherDone.countDown();
                        }
                      });
              session.sendPhase(BuildPhase.BUILDING);
              held.armed = true;
              session.sendResult(new Result(false, 1, "build command exited with 1"));
              session.close();
              return watcher.get(10, TimeUnit.SECONDS);
            });
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();

    BuildOutcome outcome =
        client.build(
            SampleFrames.buildRequest(0, sha256(new byte[0])),
            new ByteArrayInputStream(new byte[0]),
            new RecordingEvents(),
            new ByteArrayOutputStream());
    client.close();

    assertThat(outcome.result().exitCode()).isEqualTo(1);
    assertThat(watched.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(held.heldUntilWatcherDone).isTrue();
    assertThat(aborts).isEmpty();
  }

  /** A connection whose output, once armed, holds its next flush until {@code release}. */
  private static final class HeldFlush implements Connection {
    private final Connection delegate;
    private final CountDownLatch release;
    private final OutputStream output;
    volatile boolean armed;
    volatile boolean heldUntilWatcherDone;

    HeldFlush(Connection delegate, CountDownLatch release) {
      this.delegate = delegate;
      this.release = release;
      this.output =
          new java.io.FilterOutputStream(delegate.output()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
              out.flush();
              if (armed) {
                armed = false;
                try {
                  heldUntilWatcherDone = release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }
          };
    }

    @Override
    public InputStream input() {
      return delegate.input();
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public void shutdownOutput() throws IOException {
      delegate.shutdownOutput();
    }

    @Override
    public String peer() {
      return delegate.peer();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }

  @Test
  void handshake_otherClientVersion_getsUnsupportedVersionErrorAndClose() throws Exception {
    Future<ProtocolException> worker =
        pool.submit(() -> catchProtocol(() -> newWorkerSession().handshake()));
    ClientSession client =
        new ClientSession(clientSide, new ClientHello(3, "future-client"), SessionLimits.DEFAULT);

    assertThatThrownBy(client::handshake)
        .isInstanceOfSatisfying(
            RemoteErrorException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION));
    assertThat(worker.get(10, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    assertThat(aborts)
        .extracting(ProtocolException::code)
        .containsExactly(ErrorCode.UNSUPPORTED_VERSION);
  }

  @Test
  void handshake_otherWorkerVersion_clientReportsUnsupportedVersion() throws Exception {
    Future<Frame> worker =
        pool.submit(
            () -> {
              codec.read(workerSide.input());
              workerSide
                  .output()
                  .write(
                      CborTestSupport.frame(
                          CborTestSupport.cbor(
                              CborTestSupport.map(
                                  "type",
                                  "worker_hello",
                                  "protocol_version",
                                  3,
                                  "worker_name",
                                  "w",
                                  "capabilities",
                                  List.of(),
                                  "mode",
                                  "nitro"))));
              return codec.read(workerSide.input());
            });
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);

    assertThatThrownBy(client::handshake)
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION));
    assertThat(worker.get(10, TimeUnit.SECONDS))
        .isEqualTo(
            ErrorFrame.fitting(
                ErrorCode.UNSUPPORTED_VERSION,
                "peer speaks protocol version 3, this side speaks only " + Protocol.VERSION));
  }

  @Test
  void worker_sourceChunkBeforeBuildRequest_answersUnexpectedFrameAndCloses() throws Exception {
    Future<ProtocolException> worker =
        pool.submit(
            () ->
                catchProtocol(
                    () -> {
                      WorkerSession session = newWorkerSession();
                      session.handshake();
                      session.receiveBuildRequest();
                    }));
    rawClientHello();

    codec.write(clientSide.output(), new SourceChunk(ByteString.of(new byte[] {1})));

    assertThat(codec.read(clientSide.input()))
        .isInstanceOfSatisfying(
            ErrorFrame.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
              assertThat(e.message()).contains("expected build_request, got source_chunk");
            });
    assertThatThrownBy(() -> codec.read(clientSide.input())).isInstanceOf(PeerGoneException.class);
    assertThat(worker.get(10, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
    assertThat(aborts).hasSize(1);
  }

  @Test
  void worker_helloMissing_answersUnexpectedFrame() throws Exception {
    Future<ProtocolException> worker =
        pool.submit(() -> catchProtocol(() -> newWorkerSession().handshake()));

    codec.write(clientSide.output(), SampleFrames.buildRequest(1, SampleFrames.SHA));

    assertThat(codec.read(clientSide.input()))
        .isInstanceOfSatisfying(
            ErrorFrame.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME));
    assertThat(worker.get(10, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
  }

  @Test
  void worker_garbageBytes_answersMalformedFrameInsteadOfCrashing() throws Exception {
    Future<ProtocolException> worker =
        pool.submit(() -> catchProtocol(() -> newWorkerSession().handshake()));

    clientSide.output().write(new byte[] {0, 0, 0, 3, (byte) 0xff, (byte) 0xfe, (byte) 0xfd});

    assertThat(codec.read(clientSide.input()))
        .isInstanceOfSatisfying(
            ErrorFrame.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME));
    assertThat(worker.get(10, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void worker_sourceAboveItsLimit_isRefusedBeforeAnySourceIsSent() throws Exception {
    Future<ProtocolException> worker =
        pool.submit(
            () ->
                catchProtocol(
                    () -> {
                      WorkerSession session =
                          new WorkerSession(
                              workerSide, WORKER_HELLO, new SessionLimits(1000, 1000), aborts::add);
                      session.handshake();
                      session.receiveBuildRequest();
                    }));
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();
    client.sendBuildRequest(SampleFrames.buildRequest(1001, SampleFrames.SHA));

    assertThatThrownBy(
            () -> client.sendSource(new ByteArrayInputStream(new byte[1001]), BuildEvents.NONE))
        .isInstanceOfSatisfying(
            RemoteErrorException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
              assertThat(e.frame().message()).contains("1001").contains("1000");
            });
    assertThat(worker.get(10, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
  }

  @Test
  void worker_rejectsBuildJson_clientHearsWhy() throws Exception {
    Future<?> worker =
        pool.submit(
            () -> {
              WorkerSession session = newWorkerSession();
              session.handshake();
              session.receiveBuildRequest();
              session.fail(ErrorCode.INVALID_REQUEST, "build.json: unknown key \"lang\"");
              return null;
            });
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();
    client.sendBuildRequest(SampleFrames.buildRequest(3, SampleFrames.SHA));

    assertThatThrownBy(
            () -> client.sendSource(new ByteArrayInputStream(new byte[3]), BuildEvents.NONE))
        .isInstanceOfSatisfying(
            RemoteErrorException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.frame().message()).isEqualTo("build.json: unknown key \"lang\"");
            });
    worker.get(10, TimeUnit.SECONDS);
    assertThat(aborts).isEmpty();
  }

  @Test
  void worker_sourceShorterThanAnnounced_isSizeMismatch() throws Exception {
    byte[] source = random(1000, 3);
    assertSourceRefused(
        SampleFrames.buildRequest(1001, sha256(source)), source, ErrorCode.SIZE_MISMATCH);
  }

  @Test
  void worker_sourceWithOtherDigest_isDigestMismatch() throws Exception {
    byte[] source = random(1000, 4);
    assertSourceRefused(
        SampleFrames.buildRequest(1000, SampleFrames.SHA), source, ErrorCode.DIGEST_MISMATCH);
  }

  @Test
  void worker_sourceLongerThanAnnounced_isRefusedAtTheExcessChunk() throws Exception {
    Future<ProtocolException> worker = startWorkerReceivingSource(new ByteArrayOutputStream());
    rawClientHello();
    codec.write(clientSide.output(), SampleFrames.buildRequest(10, SampleFrames.SHA));
    assertThat(codec.read(clientSide.input())).isEqualTo(new Phase(BuildPhase.RECEIVING));

    codec.write(clientSide.output(), new SourceChunk(ByteString.of(new byte[8])));
    codec.write(clientSide.output(), new SourceChunk(ByteString.of(new byte[8])));

    assertThat(codec.read(clientSide.input()))
        .isInstanceOfSatisfying(
            ErrorFrame.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.SIZE_MISMATCH);
              assertThat(e.message()).contains("exceeds its announced size of 10");
            });
    assertThat(worker.get(10, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.SIZE_MISMATCH);
  }

  @Test
  void worker_clientVanishesMidSource_isPeerGoneAndAbortsOnce() throws Exception {
    Future<ProtocolException> worker = startWorkerReceivingSource(new ByteArrayOutputStream());
    rawClientHello();
    codec.write(clientSide.output(), SampleFrames.buildRequest(1000, SampleFrames.SHA));
    codec.read(clientSide.input());
    codec.write(clientSide.output(), new SourceChunk(ByteString.of(new byte[100])));
    // Half a frame, then gone.
    clientSide.output().write(new byte[] {0, 0, 1});

    clientSide.close();

    ProtocolException e = worker.get(10, TimeUnit.SECONDS);
    assertThat(e)
        .isInstanceOfSatisfying(
            PeerGoneException.class, gone -> assertThat(gone.midFrame()).isTrue());
    assertThat(aborts).containsExactly(e);
  }

  @Test
  void worker_clientVanishesDuringBuild_watchPeerAndCallbackReportIt() throws Exception {
    CountDownLatch aborted = new CountDownLatch(1);
    WorkerSession[] holder = new WorkerSession[1];
    Future<ProtocolException> worker =
        pool.submit(
            () -> {
              WorkerSession session =
                  new WorkerSession(
                      workerSide,
                      WORKER_HELLO,
                      SessionLimits.DEFAULT,
                      e -> {
                        aborts.add(e);
                        aborted.countDown();
                      });
              holder[0] = session;
              session.handshake();
              session.receiveBuildRequest();
              session.receiveSource(new ByteArrayOutputStream());
              return catchProtocol(session::watchPeer);
            });
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();
    client.sendBuildRequest(SampleFrames.buildRequest(0, sha256(new byte[0])));
    client.sendSource(new ByteArrayInputStream(new byte[0]), BuildEvents.NONE);

    client.close();

    assertThat(worker.get(10, TimeUnit.SECONDS)).isInstanceOf(PeerGoneException.class);
    assertThat(aborted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(aborts).hasSize(1);
    WorkerSession session = holder[0];
    assertThat(session.sendLog(LogStream.STDOUT, "still building")).isFalse();
    assertThatThrownBy(() -> session.sendPhase(BuildPhase.ATTESTING))
        .isInstanceOf(PeerGoneException.class);
  }

  @Test
  void worker_clientCancels_watchPeerReportsCancelled() throws Exception {
    Future<ProtocolException> worker =
        pool.submit(
            () -> {
              WorkerSession session = newWorkerSession();
              session.handshake();
              session.receiveBuildRequest();
              session.receiveSource(new ByteArrayOutputStream());
              return catchProtocol(session::watchPeer);
            });
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();
    client.sendBuildRequest(SampleFrames.buildRequest(0, sha256(new byte[0])));
    client.sendSource(new ByteArrayInputStream(new byte[0]), BuildEvents.NONE);

    client.cancel("user pressed ^C");

    assertThat(worker.get(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            RemoteErrorException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
              assertThat(e.frame().message()).isEqualTo("user pressed ^C");
            });
    assertThat(aborts).hasSize(1);
    assertThatThrownBy(() -> client.awaitResult(BuildEvents.NONE, new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
  }

  @Test
  void worker_frameAfterSourceEnd_isUnexpected() throws Exception {
    Future<ProtocolException> worker =
        pool.submit(
            () -> {
              WorkerSession session = newWorkerSession();
              session.handshake();
              session.receiveBuildRequest();
              session.receiveSource(new ByteArrayOutputStream());
              return catchProtocol(session::watchPeer);
            });
    rawClientHello();
    codec.write(clientSide.output(), SampleFrames.buildRequest(0, sha256(new byte[0])));
    codec.read(clientSide.input());
    codec.write(clientSide.output(), new SourceEnd());

    codec.write(clientSide.output(), new SourceEnd());

    assertThat(worker.get(10, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
    assertThat(codec.read(clientSide.input()))
        .isInstanceOfSatisfying(
            ErrorFrame.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME));
  }

  @Test
  void worker_failDuringBuild_watchPeerReturnsQuietly() throws Exception {
    Future<ProtocolException> worker =
        pool.submit(
            () -> {
              WorkerSession session = newWorkerSession();
              session.handshake();
              session.receiveBuildRequest();
              session.receiveSource(new ByteArrayOutputStream());
              Future<ProtocolException> watcher =
                  pool.submit(() -> catchProtocol(session::watchPeer));
              session.fail(ErrorCode.INTERNAL, "disk full");
              return watcher.get(10, TimeUnit.SECONDS);
            });
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();
    client.sendBuildRequest(SampleFrames.buildRequest(0, sha256(new byte[0])));
    client.sendSource(new ByteArrayInputStream(new byte[0]), BuildEvents.NONE);

    assertThatThrownBy(() -> client.awaitResult(BuildEvents.NONE, new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            RemoteErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
    assertThat(worker.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(aborts).isEmpty();
  }

  @Test
  void worker_phaseOutOfOrder_isAProgrammingError() throws Exception {
    Future<?> worker =
        pool.submit(
            () -> {
              WorkerSession session = newWorkerSession();
              session.handshake();
              assertThatThrownBy(() -> session.sendPhase(BuildPhase.BUILDING))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("before the source was received");
              session.sendPhase(BuildPhase.RECEIVING);
              assertThatThrownBy(() -> session.sendPhase(BuildPhase.RECEIVING))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("does not follow");
              assertThatThrownBy(() -> session.receiveSource(new ByteArrayOutputStream()))
                  .isInstanceOf(IllegalStateException.class);
              return null;
            });
    rawClientHello();
    worker.get(10, TimeUnit.SECONDS);
  }

  @Test
  void worker_failWhileASenderIsStuck_returnsAndUnblocksIt() throws Exception {
    WorkerSession session = newWorkerSession();
    Future<?> handshake = pool.submit(session::handshake);
    rawClientHello();
    handshake.get(10, TimeUnit.SECONDS);
    // The client reads nothing, so the pump blocks once the socket buffers are full.
    Future<ProtocolException> pump =
        pool.submit(
            () ->
                catchProtocol(
                    () -> {
                      while (session.sendLog(LogStream.STDOUT, "z".repeat(8000))) {
                        // keep logging
                      }
                    }));
    Thread.sleep(300);
    assertThat(pump.isDone()).isFalse();

    long start = System.nanoTime();
    session.fail(ErrorCode.INTERNAL, "build timed out");

    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
    pump.get(10, TimeUnit.SECONDS);
    assertThat(aborts).isEmpty();
  }

  @Test
  void client_workerVanishesMidBundle_isPeerGone() throws Exception {
    Future<?> worker =
        rawWorkerUntilSource(
            () -> {
              codec.write(workerSide.output(), new BundleStart(1000, SampleFrames.SHA));
              codec.write(workerSide.output(), new BundleChunk(ByteString.of(new byte[500])));
              workerSide.close();
            });
    ClientSession client = clientThroughSource();

    assertThatThrownBy(() -> client.awaitResult(BuildEvents.NONE, new ByteArrayOutputStream()))
        .isInstanceOf(PeerGoneException.class);
    worker.get(10, TimeUnit.SECONDS);
  }

  @Test
  void client_bundleWithOtherDigest_isDigestMismatchAndTellsTheWorker() throws Exception {
    Future<Frame> worker =
        rawWorkerUntilSource(
            () -> {
              codec.write(workerSide.output(), new Phase(BuildPhase.SENDING));
              codec.write(workerSide.output(), new BundleStart(4, SampleFrames.SHA));
              codec.write(workerSide.output(), new BundleChunk(ByteString.of(new byte[4])));
              codec.write(workerSide.output(), new BundleEnd());
              return codec.read(workerSide.input());
            });
    ClientSession client = clientThroughSource();

    assertThatThrownBy(() -> client.awaitResult(BuildEvents.NONE, new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_MISMATCH));
    assertThat(worker.get(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            ErrorFrame.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_MISMATCH));
  }

  @Test
  void client_bundleLongerThanAnnounced_isSizeMismatch() throws Exception {
    rawWorkerUntilSource(
        () -> {
          codec.write(workerSide.output(), new BundleStart(4, SampleFrames.SHA));
          codec.write(workerSide.output(), new BundleChunk(ByteString.of(new byte[5])));
          return null;
        });
    ClientSession client = clientThroughSource();

    assertThatThrownBy(() -> client.awaitResult(BuildEvents.NONE, new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SIZE_MISMATCH));
  }

  @Test
  void client_bundleAboveItsLimit_isLimitExceeded() throws Exception {
    rawWorkerUntilSource(
        () -> {
          codec.write(workerSide.output(), new BundleStart(2000, SampleFrames.SHA));
          return null;
        });
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, new SessionLimits(0, 1999));
    client.handshake();
    client.sendBuildRequest(SampleFrames.buildRequest(0, sha256(new byte[0])));
    client.sendSource(new ByteArrayInputStream(new byte[0]), BuildEvents.NONE);

    assertThatThrownBy(() -> client.awaitResult(BuildEvents.NONE, new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
  }

  @Test
  void client_successWithoutBundle_isUnexpected() throws Exception {
    rawWorkerUntilSource(
        () -> {
          codec.write(workerSide.output(), new Result(true, 0, "trust me"));
          return null;
        });
    ClientSession client = clientThroughSource();

    assertThatThrownBy(() -> client.awaitResult(BuildEvents.NONE, new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
              assertThat(e).hasMessageContaining("without a bundle");
            });
  }

  @Test
  void client_phaseGoingBackwards_isUnexpected() throws Exception {
    rawWorkerUntilSource(
        () -> {
          codec.write(workerSide.output(), new Phase(BuildPhase.ATTESTING));
          codec.write(workerSide.output(), new Phase(BuildPhase.BUILDING));
          return null;
        });
    ClientSession client = clientThroughSource();

    assertThatThrownBy(() -> client.awaitResult(BuildEvents.NONE, new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME))
        .hasMessageContaining("phase building does not follow attesting");
  }

  @Test
  void client_chunkOutsideBundle_isUnexpected() throws Exception {
    rawWorkerUntilSource(
        () -> {
          codec.write(workerSide.output(), new BundleChunk(ByteString.of(new byte[1])));
          return null;
        });
    ClientSession client = clientThroughSource();

    assertThatThrownBy(() -> client.awaitResult(BuildEvents.NONE, new ByteArrayOutputStream()))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME));
  }

  @Test
  void client_archiveNotMatchingItsRequest_failsLocallyAndTellsTheWorker() throws Exception {
    Future<ProtocolException> worker = startWorkerReceivingSource(new ByteArrayOutputStream());
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();
    client.sendBuildRequest(SampleFrames.buildRequest(10, SampleFrames.SHA));

    assertThatThrownBy(
            () -> client.sendSource(new ByteArrayInputStream(new byte[10]), BuildEvents.NONE))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_MISMATCH));
    assertThat(worker.get(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            RemoteErrorException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_MISMATCH));
  }

  @Test
  void client_methodsOutOfOrder_areProgrammingErrors() {
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);

    assertThatThrownBy(
            () -> client.sendBuildRequest(SampleFrames.buildRequest(0, SampleFrames.SHA)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NEW");
    assertThatThrownBy(() -> client.awaitResult(BuildEvents.NONE, new ByteArrayOutputStream()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void build_withTreeObjects_sendsThemInOrderBeforeTheSource() throws Exception {
    byte[] source = random(1000, 3);
    List<ByteString> trees =
        List.of(
            ByteString.of(new byte[0]),
            ByteString.of(random(300_000, 4)),
            ByteString.of(random(10, 5)));
    BuildRequest request = SampleFrames.claimRequest(source.length, sha256(source), trees.size());
    Future<List<byte[]>> worker =
        pool.submit(
            () -> {
              WorkerSession session = newWorkerSession();
              session.handshake();
              session.receiveBuildRequest();
              List<byte[]> received = session.receiveTreeObjects();
              ByteArrayOutputStream sink = new ByteArrayOutputStream();
              session.receiveSource(sink);
              assertThat(sink.toByteArray()).isEqualTo(source);
              session.sendPhase(BuildPhase.BUILDING);
              session.sendResult(new Result(false, 1, "failed"));
              return received;
            });
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();

    BuildOutcome outcome =
        client.build(
            request,
            trees,
            new ByteArrayInputStream(source),
            BuildEvents.NONE,
            new ByteArrayOutputStream());

    assertThat(outcome.result().success()).isFalse();
    assertThat(worker.get(10, TimeUnit.SECONDS))
        .extracting(ByteString::of)
        .containsExactlyElementsOf(trees);
    assertThat(aborts).isEmpty();
  }

  @Test
  void worker_sourceBeforeTheAnnouncedTreeObjects_isUnexpectedFrame() throws Exception {
    Future<ProtocolException> worker =
        pool.submit(
            () ->
                catchProtocol(
                    () -> {
                      WorkerSession session = newWorkerSession();
                      session.handshake();
                      session.receiveBuildRequest();
                      session.receiveTreeObjects();
                    }));
    rawClientHello();
    codec.write(clientSide.output(), SampleFrames.claimRequest(1, SampleFrames.SHA, 2));
    assertThat(codec.read(clientSide.input())).isEqualTo(new Phase(BuildPhase.RECEIVING));

    codec.write(clientSide.output(), new TreeObject(ByteString.of(new byte[0])));
    codec.write(clientSide.output(), new SourceChunk(ByteString.of(new byte[] {1})));

    assertThat(codec.read(clientSide.input()))
        .isInstanceOfSatisfying(
            ErrorFrame.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
              assertThat(e.message()).contains("expected tree_object 2 of 2, got source_chunk");
            });
    assertThat(worker.get(10, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
  }

  @Test
  void worker_treeObjectsOverTheSessionTotal_isLimitExceeded() throws Exception {
    int count = (int) (Protocol.MAX_TREE_BYTES / Protocol.MAX_TREE_OBJECT_BYTES) + 2;
    Future<ProtocolException> worker =
        pool.submit(
            () ->
                catchProtocol(
                    () -> {
                      WorkerSession session = newWorkerSession();
                      session.handshake();
                      session.receiveBuildRequest();
                      session.receiveTreeObjects();
                    }));
    rawClientHello();
    codec.write(clientSide.output(), SampleFrames.claimRequest(1, SampleFrames.SHA, count));
    assertThat(codec.read(clientSide.input())).isEqualTo(new Phase(BuildPhase.RECEIVING));
    TreeObject big = new TreeObject(ByteString.of(new byte[Protocol.MAX_TREE_OBJECT_BYTES]));
    try {
      for (int i = 0; i < count; i++) {
        codec.write(clientSide.output(), big);
      }
    } catch (PeerGoneException e) {
      // the worker refused and closed before the last ones
    }

    assertThat(worker.get(10, TimeUnit.SECONDS))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
              assertThat(e.getMessage()).contains("tree objects exceed");
            });
  }

  @Test
  void client_treeObjectsNotAsAnnounced_isAProgrammingError() throws Exception {
    rawWorkerUntilRequest();
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();
    client.sendBuildRequest(SampleFrames.claimRequest(0, sha256(new byte[0]), 2));

    assertThatThrownBy(
            () ->
                client.sendSource(
                    List.of(ByteString.of(new byte[0])),
                    new ByteArrayInputStream(new byte[0]),
                    BuildEvents.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("announces 2 tree objects, 1 were given");
  }

  // --- helpers ---

  /** A hand-driven worker that answers the hello and reads the request. */
  private void rawWorkerUntilRequest() {
    pool.submit(
        () -> {
          codec.read(workerSide.input());
          codec.write(workerSide.output(), WORKER_HELLO);
          return codec.read(workerSide.input());
        });
  }

  private WorkerSession newWorkerSession() {
    return new WorkerSession(workerSide, WORKER_HELLO, SessionLimits.DEFAULT, aborts::add);
  }

  private void assertSourceRefused(BuildRequest request, byte[] source, ErrorCode code)
      throws Exception {
    Future<ProtocolException> worker = startWorkerReceivingSource(new ByteArrayOutputStream());
    rawClientHello();
    codec.write(clientSide.output(), request);
    assertThat(codec.read(clientSide.input())).isEqualTo(new Phase(BuildPhase.RECEIVING));

    codec.write(clientSide.output(), new SourceChunk(ByteString.of(source)));
    codec.write(clientSide.output(), new SourceEnd());

    assertThat(codec.read(clientSide.input()))
        .isInstanceOfSatisfying(ErrorFrame.class, e -> assertThat(e.code()).isEqualTo(code));
    assertThat(worker.get(10, TimeUnit.SECONDS).code()).isEqualTo(code);
    assertThat(aborts).hasSize(1);
  }

  private Future<ProtocolException> startWorkerReceivingSource(ByteArrayOutputStream sink) {
    return pool.submit(
        () ->
            catchProtocol(
                () -> {
                  WorkerSession session = newWorkerSession();
                  session.handshake();
                  session.receiveBuildRequest();
                  session.receiveSource(sink);
                }));
  }

  private void rawClientHello() throws ProtocolException {
    codec.write(clientSide.output(), CLIENT_HELLO);
    assertThat(codec.read(clientSide.input())).isEqualTo(WORKER_HELLO);
  }

  /** A hand-driven worker: hello, request, accept, read the (empty) source, then {@code then}. */
  private <T> Future<T> rawWorkerUntilSource(java.util.concurrent.Callable<T> then) {
    return pool.submit(
        () -> {
          codec.read(workerSide.input());
          codec.write(workerSide.output(), WORKER_HELLO);
          codec.read(workerSide.input());
          codec.write(workerSide.output(), new Phase(BuildPhase.RECEIVING));
          assertThat(codec.read(workerSide.input())).isEqualTo(new SourceEnd());
          return then.call();
        });
  }

  private <T> Future<T> rawWorkerUntilSource(ThrowingRunnable then) {
    return rawWorkerUntilSource(
        () -> {
          then.run();
          return null;
        });
  }

  private ClientSession clientThroughSource() throws IOException {
    ClientSession client = new ClientSession(clientSide, CLIENT_HELLO, SessionLimits.DEFAULT);
    client.handshake();
    client.sendBuildRequest(SampleFrames.buildRequest(0, sha256(new byte[0])));
    client.sendSource(new ByteArrayInputStream(new byte[0]), BuildEvents.NONE);
    return client;
  }

  private static ProtocolException catchProtocol(ThrowingRunnable action) throws Exception {
    try {
      action.run();
      return null;
    } catch (ProtocolException e) {
      return e;
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  static ByteString sha256(byte[] data) {
    try {
      return ByteString.of(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static final class RecordingEvents implements BuildEvents {
    final List<LogLine> logs = Collections.synchronizedList(new ArrayList<>());
    final List<BuildPhase> phases = new ArrayList<>();
    final List<BundleStart> bundleStarts = new ArrayList<>();

    @Override
    public void onLog(LogLine line) {
      logs.add(line);
    }

    @Override
    public void onPhase(BuildPhase phase) {
      phases.add(phase);
    }

    @Override
    public void onBundleStart(BundleStart start) {
      bundleStarts.add(start);
    }
  }
}
