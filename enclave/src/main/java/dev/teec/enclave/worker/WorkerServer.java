package dev.teec.enclave.worker;

import dev.teec.enclave.buildspec.BuildSpec;
import dev.teec.enclave.nsm.AttestationRequest;
import dev.teec.enclave.nsm.NsmException;
import dev.teec.enclave.protocol.BuildPhase;
import dev.teec.enclave.protocol.BuildRequest;
import dev.teec.enclave.protocol.Bytes;
import dev.teec.enclave.protocol.ErrorCode;
import dev.teec.enclave.protocol.LogStream;
import dev.teec.enclave.protocol.ProtocolException;
import dev.teec.enclave.protocol.Result;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.enclave.protocol.WorkerSession;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Serves builds over the wire protocol (SPEC.md W8): one session per connection, one build at a
 * time. The source is spooled to a temporary file and verified against the announced size and
 * SHA-256 before anything is extracted; the client's disappearance cancels the build (and kills its
 * processes); a failed build gets a result without a bundle.
 */
public final class WorkerServer {
  private final Worker worker;
  private final WorkerHello hello;
  private final SessionLimits limits;
  private final Path spoolDir;

  /**
   * @param spoolDir where the received source and the bundle are kept during a session; emptied of
   *     both after each session
   */
  public WorkerServer(Worker worker, WorkerHello hello, SessionLimits limits, Path spoolDir) {
    this.worker = worker;
    this.hello = hello;
    this.limits = limits;
    this.spoolDir = spoolDir;
  }

  /** Accepts and serves connections one after another until the acceptor is closed. */
  public void serve(Acceptor acceptor) throws IOException {
    while (true) {
      Connection connection;
      try {
        connection = acceptor.accept();
      } catch (IOException e) {
        return; // the acceptor was closed
      }
      serveOne(connection);
    }
  }

  /** Serves one session on {@code connection}, then closes it. Never throws for client misbehaviour. */
  public void serveOne(Connection connection) throws IOException {
    Thread self = Thread.currentThread();
    Files.createDirectories(spoolDir);
    Path source = spoolDir.resolve("source.tar");
    Path bundle = spoolDir.resolve("bundle.tar");
    // The client vanishing or cancelling interrupts the build, which kills its process tree.
    try (WorkerSession session = new WorkerSession(connection, hello, limits, abort -> self.interrupt())) {
      session.handshake();
      BuildRequest request = session.receiveBuildRequest();
      BuildJob job;
      try {
        BuildSpec.parse(request.buildJson().toArray());
        new AttestationRequest(null, request.nonce().toArray(), null);
        job = new BuildJob(request.buildJson().toArray(), request.nonce().toArray(), metadata(request));
      } catch (IOException | IllegalArgumentException e) {
        session.fail(ErrorCode.INVALID_REQUEST, e.getMessage());
        return;
      }
      try (OutputStream out = Files.newOutputStream(source)) {
        session.receiveSource(out);
      }
      Thread watcher = new Thread(() -> watch(session), "teec-peer-watch");
      watcher.setDaemon(true);
      watcher.start();
      session.sendPhase(BuildPhase.BUILDING);
      WorkerResult result;
      try (InputStream in = Files.newInputStream(source)) {
        // sendLog throws PeerGoneException when the client is gone, which cancels the build.
        result = worker.build(job, in, bundle, line -> session.sendLog(LogStream.STDOUT, line));
      } catch (InterruptedException e) {
        return; // the client left; the build was stopped
      } catch (NsmException e) {
        session.fail(ErrorCode.INTERNAL, "attestation failed: " + e.getMessage());
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
          session.sendBundle(in, written.size(), Bytes.fromHex(written.sha256()));
        }
        session.sendResult(new Result(true, exit, "built and attested; report SHA-384 "
            + result.reportSha384().orElseThrow()));
      } else {
        session.sendResult(new Result(false, exit, result.failure().orElse("the build failed")));
      }
    } catch (ProtocolException e) {
      // The session already told the client (or the client is gone); nothing more to do.
    } finally {
      Thread.interrupted(); // an abort after the build ended must not leak into the next session
      Files.deleteIfExists(source);
      Files.deleteIfExists(bundle);
    }
  }

  private static void watch(WorkerSession session) {
    try {
      session.watchPeer();
    } catch (ProtocolException e) {
      // onAbort has interrupted the build already.
    }
  }

  private static SourceMetadata metadata(BuildRequest request) {
    var m = request.sourceMetadata();
    return new SourceMetadata(m.uri(), m.commit(), m.tree(), m.dirty(),
        Optional.ofNullable(m.commitTime()).map(Instant::ofEpochSecond));
  }
}
