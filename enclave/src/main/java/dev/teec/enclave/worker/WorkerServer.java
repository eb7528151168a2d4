package dev.teec.enclave.worker;

import dev.teec.enclave.git.ClaimedTrees;
import dev.teec.enclave.git.SourceClaim;
import dev.teec.enclave.git.SourceClaimException;
import dev.teec.enclave.git.VerifiedCommit;
import dev.teec.enclave.nsm.AttestationRequest;
import dev.teec.enclave.nsm.NsmException;
import dev.teec.enclave.protocol.BuildPhase;
import dev.teec.enclave.protocol.BuildRequest;
import dev.teec.enclave.protocol.ByteString;
import dev.teec.enclave.protocol.ErrorCode;
import dev.teec.enclave.protocol.LogStream;
import dev.teec.enclave.protocol.ProtocolException;
import dev.teec.enclave.protocol.Result;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.enclave.protocol.WorkerSession;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.Connection;
import dev.teec.formats.buildspec.BuildSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves builds over the wire protocol (SPEC.md W8): one session per connection, one build at a
 * time. A source claim (commit object and tree objects) is checked before the source is received
 * and its archive after extraction, before the build; a claim that does not hold ends the session
 * with {@code source_rejected}. The source is spooled to a temporary file and verified against the
 * announced size and SHA-256 before anything is extracted; the client's disappearance cancels the
 * build (and kills its processes); a failed build gets a result without a bundle.
 *
 * <p>A worker owns one build area, so a connection that arrives while a session runs is answered
 * {@code busy} at once rather than left waiting unseen. A session must finish its handshake and
 * build request within {@link Timeouts#request} and its source upload within {@link
 * Timeouts#source}, or the worker closes it: a silent client must not hold the only build slot
 * forever.
 */
public final class WorkerServer {
  private final Worker worker;
  private final WorkerHello hello;
  private final SessionLimits limits;
  private final Path spoolDir;
  private final Timeouts timeouts;
  private final AtomicBoolean busy = new AtomicBoolean();

  /**
   * How long a client may take before the build starts.
   *
   * @param request from connection to a complete build request (hello exchange included)
   * @param source from connection to the end of the source upload
   */
  public record Timeouts(Duration request, Duration source) {
    /** 30 seconds for the request, 30 minutes for the source. */
    public static final Timeouts DEFAULT =
        new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(30));

    public Timeouts {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(source, "source");
      if (request.isNegative() || request.isZero() || source.compareTo(request) < 0) {
        throw new IllegalArgumentException(
            "timeouts must be positive, source >= request; got request "
                + request
                + ", source "
                + source);
      }
    }
  }

  /** A server with {@link Timeouts#DEFAULT}. */
  public WorkerServer(Worker worker, WorkerHello hello, SessionLimits limits, Path spoolDir) {
    this(worker, hello, limits, spoolDir, Timeouts.DEFAULT);
  }

  /**
   * @param spoolDir where the received source and the bundle are kept during a session; emptied of
   *     both after each session
   * @param timeouts how long a client may take to send its request and its source
   */
  public WorkerServer(
      Worker worker, WorkerHello hello, SessionLimits limits, Path spoolDir, Timeouts timeouts) {
    this.worker = worker;
    this.hello = hello;
    this.limits = limits;
    this.spoolDir = spoolDir;
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
  }

  /**
   * Accepts connections until the acceptor is closed. Each session runs on its own thread; while
   * one runs, further connections are told {@code busy} and closed. Returns after the running
   * session (if any) has ended.
   */
  public void serve(Acceptor acceptor) throws IOException {
    Thread running = null;
    try {
      while (true) {
        Connection connection;
        try {
          connection = acceptor.accept();
        } catch (IOException e) {
          return; // the acceptor was closed
        }
        if (!busy.compareAndSet(false, true)) {
          rejectBusy(connection);
          continue;
        }
        running =
            new Thread(
                () -> {
                  try {
                    serveOne(connection);
                  } catch (IOException e) {
                    System.err.println(
                        "teec-worker: session on "
                            + connection.peer()
                            + " failed: "
                            + e.getMessage());
                  } finally {
                    busy.set(false);
                  }
                },
                "teec-session");
        running.start();
      }
    } finally {
      if (running != null) {
        try {
          running.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Answers {@code busy} without reading anything: the error is the worker's first and last frame.
   */
  private void rejectBusy(Connection connection) {
    Thread t =
        new Thread(
            () -> {
              try (WorkerSession session =
                  new WorkerSession(connection, hello, limits, abort -> {})) {
                session.fail(
                    ErrorCode.BUSY,
                    "this worker is running another build; try again when it has finished");
              }
            },
            "teec-busy");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Serves one session on {@code connection}, then closes it. Never throws for client misbehaviour.
   */
  public void serveOne(Connection connection) throws IOException {
    Thread self = Thread.currentThread();
    Files.createDirectories(spoolDir);
    Path source = spoolDir.resolve("source.tar");
    Path bundle = spoolDir.resolve("bundle.tar");
    ScheduledExecutorService deadlines =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "teec-session-deadline");
              t.setDaemon(true);
              return t;
            });
    // The client vanishing or cancelling interrupts the build, which kills its process tree.
    try (WorkerSession session =
        new WorkerSession(connection, hello, limits, abort -> self.interrupt())) {
      ScheduledFuture<?> requestDeadline = closeAfter(deadlines, connection, timeouts.request());
      ScheduledFuture<?> sourceDeadline = closeAfter(deadlines, connection, timeouts.source());
      session.handshake();
      BuildRequest request = session.receiveBuildRequest();
      requestDeadline.cancel(false);
      try {
        BuildSpec.parse(request.buildJson().toArray());
        new AttestationRequest(null, request.nonce().toArray(), null);
      } catch (IOException | IllegalArgumentException e) {
        session.fail(ErrorCode.INVALID_REQUEST, e.getMessage());
        return;
      }
      BuildJob job;
      try {
        Optional<VerifiedCommit> commit = verifyCommit(request.sourceMetadata());
        List<byte[]> trees = session.receiveTreeObjects();
        Optional<ClaimedTrees> claim =
            commit.isPresent() ? Optional.of(commit.get().verifyTrees(trees)) : Optional.empty();
        job =
            new BuildJob(
                request.buildJson().toArray(), request.nonce().toArray(), metadata(request), claim);
      } catch (SourceClaimException e) {
        session.fail(ErrorCode.SOURCE_REJECTED, e.getMessage());
        return;
      }
      try (OutputStream out = Files.newOutputStream(source)) {
        session.receiveSource(out);
      }
      sourceDeadline.cancel(false);
      Thread watcher = new Thread(() -> watch(session), "teec-peer-watch");
      watcher.setDaemon(true);
      watcher.start();
      session.sendPhase(BuildPhase.BUILDING);
      WorkerResult result;
      try (InputStream in = Files.newInputStream(source)) {
        // sendLog throws PeerGoneException when the client is gone, which cancels the build.
        result =
            worker.build(
                job,
                in,
                bundle,
                line -> session.sendLog(LogStream.STDOUT, line),
                () -> session.sendPhase(BuildPhase.ATTESTING));
      } catch (InterruptedException e) {
        return; // the client left; the build was stopped
      } catch (NsmException e) {
        session.fail(ErrorCode.INTERNAL, "attestation failed: " + e.getMessage());
        return;
      } catch (SourceClaimException e) {
        session.fail(ErrorCode.SOURCE_REJECTED, e.getMessage());
        return;
      } catch (UncheckedIOException | IOException e) {
        session.fail(ErrorCode.INVALID_REQUEST, e.getMessage());
        return;
      }
      Integer exit = result.exitCode() >= 0 && result.exitCode() <= 255 ? result.exitCode() : null;
      if (result.succeeded()) {
        session.sendPhase(BuildPhase.SENDING);
        var written = result.bundle().orElseThrow();
        try (InputStream in = Files.newInputStream(written.path())) {
          session.sendBundle(in, written.size(), ByteString.fromHex(written.sha256()));
        }
        session.sendResult(
            new Result(
                true,
                exit,
                "built and attested; report SHA-384 " + result.reportSha384().orElseThrow()));
      } else {
        session.sendResult(new Result(false, exit, result.failure().orElse("the build failed")));
      }
    } catch (ProtocolException e) {
      // The session already told the client (or the client is gone); nothing more to do.
    } finally {
      deadlines.shutdownNow();
      Thread.interrupted(); // an abort after the build ended must not leak into the next session
      Files.deleteIfExists(source);
      Files.deleteIfExists(bundle);
    }
  }

  /** Closing the connection makes the session's blocked read fail, which ends the session. */
  private static ScheduledFuture<?> closeAfter(
      ScheduledExecutorService deadlines, Connection connection, Duration timeout) {
    return deadlines.schedule(
        () -> {
          try {
            connection.close();
          } catch (IOException e) {
            // already closed: the session has ended anyway
          }
        },
        timeout.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static void watch(WorkerSession session) {
    try {
      session.watchPeer();
    } catch (ProtocolException e) {
      // onAbort has interrupted the build already.
    }
  }

  /**
   * The first stage of the source claim (SPEC.md W2), before any source is received: a request with
   * a commit object claims that the archive is that commit's directory.
   */
  private static Optional<VerifiedCommit> verifyCommit(SourceMetadata m)
      throws SourceClaimException {
    if (m.commitObject() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SourceClaim(
                m.commit(),
                m.commitObject().toArray(),
                m.path() == null ? "" : m.path(),
                m.tree(),
                m.commitTime())
            .verifyCommit());
  }

  private static ClaimedSource metadata(BuildRequest request) {
    var m = request.sourceMetadata();
    return new ClaimedSource(
        m.uri(),
        m.commit(),
        m.tree(),
        m.path(),
        m.dirty(),
        Optional.ofNullable(m.commitTime()).map(Instant::ofEpochSecond));
  }
}
