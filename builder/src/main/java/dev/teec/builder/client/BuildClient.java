package dev.teec.builder.client;

import dev.teec.builder.launch.EnclaveLauncher;
import dev.teec.builder.launch.LaunchException;
import dev.teec.builder.launch.WorkerHandle;
import dev.teec.builder.progress.Progress;
import dev.teec.builder.source.PackedSource;
import dev.teec.enclave.protocol.BuildOutcome;
import dev.teec.enclave.protocol.BuildRequest;
import dev.teec.enclave.protocol.ByteString;
import dev.teec.enclave.protocol.ClientHello;
import dev.teec.enclave.protocol.ClientSession;
import dev.teec.enclave.protocol.ErrorCode;
import dev.teec.enclave.protocol.PeerGoneException;
import dev.teec.enclave.protocol.ProtocolException;
import dev.teec.enclave.protocol.RemoteErrorException;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.verifier.bundle.VerifiedBundle;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one build: starts the worker, sends the build request with a fresh random nonce and the
 * source, streams the log to the {@link Progress}, receives the bundle into a temporary file next
 * to the output, checks it ({@link ReturnedBundleCheck}), and only then makes it the output: fsync,
 * atomic rename, fsync of the directory. On every failure, and on {@link #abort}, the temporary
 * file is deleted and the worker stopped: no bundle, partial or unchecked, is ever left at the
 * output path.
 *
 * <p>One instance runs one build. {@link #abort} may be called from any thread (a shutdown hook on
 * Ctrl-C): it cancels the session, stops the worker and removes the temporary files, and the thread
 * running {@link #run} then fails with {@link FailureCode#CANCELLED}.
 */
public final class BuildClient {
  /** Nonce length sent with each build; the NSM accepts up to 512 bytes, the protocol 16..64. */
  public static final int NONCE_BYTES = 32;

  private final Clock clock;
  private final SecureRandom random;
  private final String clientName;
  private final Object lock = new Object();
  private boolean aborted;
  private boolean committed;
  private ClientSession session;
  private WorkerHandle worker;
  private Path partial;
  private Path extractDir;
  private Thread runner;
  private final CountDownLatch done = new CountDownLatch(1);

  /**
   * @param clock "now" for verifying the attestation
   * @param random where nonces come from
   * @param clientName how this client introduces itself to the worker
   */
  public BuildClient(Clock clock, SecureRandom random, String clientName) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.clientName = Objects.requireNonNull(clientName, "clientName");
  }

  /**
   * Runs the build.
   *
   * @return what was written, after every check passed
   * @throws BuildException when the build produced no bundle, with the reason
   * @throws IOException when writing locally fails
   */
  public BuildSummary run(BuildPlan plan, EnclaveLauncher launcher, Progress progress)
      throws BuildException, IOException, InterruptedException {
    synchronized (lock) {
      if (runner != null) {
        throw new IllegalStateException("a BuildClient runs one build");
      }
      runner = Thread.currentThread();
    }
    try {
      return runChecked(plan, launcher, progress);
    } catch (InterruptedException | IOException e) {
      // Interrupting a thread in file channel I/O closes the channel: part of cancelling.
      if (aborted()) {
        throw cancelled(e);
      }
      throw e;
    } finally {
      cleanUp();
      done.countDown();
    }
  }

  /**
   * Cancels the build from any thread: cancels the session, interrupts the thread running the build
   * (which may be starting the worker), stops the worker, and waits (up to {@code wait}) until that
   * thread has cleaned up, so that a shutdown hook returns only when nothing is left running.
   */
  public void abort(Duration wait) {
    ClientSession s;
    WorkerHandle w;
    Thread t;
    synchronized (lock) {
      if (committed) {
        return;
      }
      aborted = true;
      s = session;
      w = worker;
      t = runner;
    }
    if (s != null) {
      s.cancel("the client was interrupted");
    }
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
    if (w != null) {
      w.close();
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    cleanUp();
  }

  private BuildSummary runChecked(BuildPlan plan, EnclaveLauncher launcher, Progress progress)
      throws BuildException, IOException, InterruptedException {
    PackedSource source = plan.source();
    SourceMetadata metadata = plan.sourceMetadata().orElseGet(() -> SourceClaims.of(source));
    List<ByteString> treeObjects = SourceClaims.treeObjects(metadata, source);
    Path dir = Files.createDirectories(plan.out().getParent());
    synchronized (lock) {
      checkNotAborted();
      partial = Files.createTempFile(dir, "." + plan.out().getFileName() + ".", ".part");
      extractDir = Files.createTempDirectory("teec-check-");
    }

    progress.phase("starting the " + launcher.kind());
    WorkerHandle handle;
    try {
      handle = launcher.launch(progress::note);
    } catch (LaunchException e) {
      throw new BuildException(FailureCode.LAUNCH_FAILED, e.getMessage(), e);
    }
    synchronized (lock) {
      worker = handle;
      if (aborted) {
        handle.close();
        throw cancelled(null);
      }
    }
    progress.note("worker: " + handle.description());

    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] buildJson = plan.buildJson();
    Expectations expected =
        new Expectations(
            nonce,
            buildJson,
            source.sha256(),
            metadata,
            handle.simulated(),
            handle.emulated(),
            handle.expectedPcrs(),
            handle.debug());
    BuildOutcome outcome;
    WorkerHello hello;
    ReturnedBundleCheck.Prepared check;
    Thread warmUp;
    try {
      ClientSession s;
      try {
        s = new ClientSession(handle.connect(), ClientHello.of(clientName), SessionLimits.DEFAULT);
      } catch (LaunchException e) {
        throw new BuildException(FailureCode.LAUNCH_FAILED, e.getMessage(), e);
      }
      synchronized (lock) {
        session = s;
        if (aborted) {
          s.cancel("the client was interrupted");
          throw cancelled(null);
        }
      }
      try (s;
          FileChannel channel =
              FileChannel.open(
                  partial, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        hello = s.handshake();
        if (hello.simulated() != handle.simulated()) {
          throw new BuildException(
              FailureCode.WORKER_ERROR,
              "the worker says it is "
                  + (hello.simulated() ? "simulated" : "in a Nitro Enclave")
                  + ", but a "
                  + (handle.simulated() ? "local" : "Nitro")
                  + " worker was started");
        }
        // The worker is up (a local one has made its simulated root): while it builds, another
        // thread does what the first check would do before the bundle is there.
        check =
            new ReturnedBundleCheck(clock, plan.roots().anchors()).prepare(extractDir, expected);
        warmUp = new Thread(check::warmUp, "teec-check-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        BuildRequest request =
            new BuildRequest(
                ByteString.of(buildJson),
                ByteString.of(nonce),
                source.size(),
                ByteString.fromHex(source.sha256()),
                metadata);
        SessionEvents events = new SessionEvents(progress);
        OutputStream sink =
            new BufferedOutputStream(events.counting(Channels.newOutputStream(channel)), 64 * 1024);
        try (InputStream archive =
            SessionEvents.metered(
                Files.newInputStream(source.archive()), source.size(), progress)) {
          outcome = s.build(request, treeObjects, archive, events, sink);
        }
        sink.flush();
        channel.force(true);
      }
    } catch (BuildException e) {
      throw e;
    } catch (RemoteErrorException e) {
      throw aborted()
          ? cancelled(e)
          : new BuildException(
              FailureCode.WORKER_ERROR, "the worker refused the build: " + e.getMessage(), e);
    } catch (PeerGoneException e) {
      throw aborted()
          ? cancelled(e)
          : new BuildException(
              FailureCode.WORKER_GONE,
              "the worker went away before the build finished (" + e.getMessage() + ")",
              e);
    } catch (ProtocolException e) {
      throw aborted() || e.code() == ErrorCode.CANCELLED
          ? cancelled(e)
          : new BuildException(
              FailureCode.WORKER_ERROR, "the session with the worker failed: " + e.getMessage(), e);
    } finally {
      handle.close();
    }

    if (!outcome.result().success()) {
      Integer exit = outcome.result().exitCode();
      // Exit code 0 with a failure means an output check failed; the message says which.
      throw new BuildException(
          FailureCode.BUILD_FAILED,
          "the build failed"
              + (exit != null && exit != 0 ? " (exit code " + exit + ")" : "")
              + ": "
              + outcome.result().message(),
          exit);
    }

    progress.phase("checking the bundle");
    // Done long since, but the check would otherwise repeat what it is still doing.
    warmUp.join();
    VerifiedBundle checked = check.check(partial);

    long size = Files.size(partial);
    String sha256 = outcome.bundle().orElseThrow().sha256().hex();
    synchronized (lock) {
      checkNotAborted();
      move(partial, plan.out());
      committed = true;
    }
    fsyncDirectory(plan.out().getParent());

    Map<String, String> subjects = new LinkedHashMap<>();
    checked.report().subjects().forEach(s -> subjects.put(s.name(), s.sha256()));
    return new BuildSummary(
        plan.out(),
        size,
        sha256,
        handle.simulated(),
        handle.emulated(),
        handle.debug(),
        handle.description(),
        hello.workerName(),
        HexFormat.of().formatHex(nonce),
        checked.reportSha384(),
        new BuildSummary.SourceSummary(
            source.sha256(),
            source.size(),
            source.files(),
            metadata.commit(),
            metadata.tree(),
            metadata.dirty(),
            metadata.uri()),
        subjects);
  }

  private boolean aborted() {
    synchronized (lock) {
      return aborted;
    }
  }

  private void checkNotAborted() throws BuildException {
    if (aborted) {
      throw cancelled(null);
    }
  }

  private static BuildException cancelled(Throwable cause) {
    return new BuildException(
        FailureCode.CANCELLED, "the build was cancelled; no bundle was written", cause);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename " + from + " to " + to + " atomically: " + e.getMessage(), e);
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a directory; the rename itself has happened.
    }
  }

  /** Deletes the temporary bundle (unless it became the output) and the extraction directory. */
  private void cleanUp() {
    Path p;
    Path x;
    synchronized (lock) {
      p = committed ? null : partial;
      x = extractDir;
    }
    try {
      if (p != null) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Best effort; a stray ".part" file is not a bundle.
    }
    if (x != null) {
      try (Stream<Path> paths = Files.walk(x)) {
        for (Path q : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(q);
        }
      } catch (IOException e) {
        // Best effort: a private temporary directory.
      }
    }
  }
}
