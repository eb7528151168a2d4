package dev.teec.enclave.protocol;

import dev.teec.enclave.protocol.transport.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The client's end of one session (SPEC.md W8.4). Enforces the worker's frame order and verifies
 * the bundle against its announced size and SHA-256; a malformed or out-of-order frame from the
 * worker is answered with an {@code error} frame and closes the session.
 *
 * <p>The sequence: {@link #handshake()}, {@link #sendBuildRequest}, {@link #sendSource} (waits for
 * the worker to accept the request, then sends the tree objects and streams the archive), {@link
 * #awaitResult}, {@link #close()}; or all but the handshake in one call with {@link #build}. All
 * methods but {@link #cancel} are for one thread; {@link #cancel} may be called from any thread
 * (e.g. an interrupt handler).
 */
public final class ClientSession extends Session {

  private enum State {
    NEW,
    HELLO_DONE,
    REQUEST_SENT,
    SOURCE_SENT,
    DONE
  }

  private final ClientHello hello;
  private final SessionLimits limits;
  private State state = State.NEW;
  private BuildRequest request;
  private BuildPhase lastPhase;

  /**
   * @param connection a connection to the worker; the session owns it from now on
   * @param hello what to introduce this client with
   * @param limits the largest bundle this client accepts
   */
  public ClientSession(Connection connection, ClientHello hello, SessionLimits limits) {
    super(Objects.requireNonNull(connection, "connection"), e -> {});
    this.hello = Objects.requireNonNull(hello, "hello");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Sends the client's hello and reads the worker's.
   *
   * @throws RemoteErrorException if the worker refused (e.g. {@link ErrorCode#UNSUPPORTED_VERSION})
   * @throws ProtocolException if the worker answered with anything but a hello of this version
   */
  public WorkerHello handshake() throws ProtocolException {
    expect(State.NEW, "handshake");
    // A worker that is busy answers with an error and closes without reading: report that error
    // rather than the broken pipe the hello may meet.
    sendOrExplain(hello);
    Frame frame = receive();
    if (!(frame instanceof WorkerHello workerHello)) {
      throw violation(
          ErrorCode.UNEXPECTED_FRAME, "expected worker_hello, got " + frame.frameType().wireName());
    }
    state = State.HELLO_DONE;
    return workerHello;
  }

  /** Sends the build request. */
  public void sendBuildRequest(BuildRequest buildRequest) throws ProtocolException {
    Objects.requireNonNull(buildRequest, "buildRequest");
    expect(State.HELLO_DONE, "sendBuildRequest");
    sendLock.lock();
    try {
      write(buildRequest);
    } finally {
      sendLock.unlock();
    }
    request = buildRequest;
    state = State.REQUEST_SENT;
  }

  /**
   * Waits until the worker accepts the request (it announces {@link BuildPhase#RECEIVING}; log
   * lines before that go to {@code events}), then streams {@code archive} in chunks of {@link
   * Protocol#MAX_CHUNK_BYTES} and ends it. The archive is checked against the request as it goes:
   * if it yields other bytes than announced, the worker is told and nothing is ended.
   *
   * @throws RemoteErrorException if the worker refused the request (e.g. an invalid build.json)
   * @throws ProtocolException if {@code archive} does not match the request's size or SHA-256
   *     ({@link ErrorCode#SIZE_MISMATCH}, {@link ErrorCode#DIGEST_MISMATCH}), or the worker broke
   *     the protocol
   * @throws IOException if reading {@code archive} fails (then {@link #cancel})
   */
  public StreamDigest sendSource(InputStream archive, BuildEvents events) throws IOException {
    return sendSource(List.of(), archive, events);
  }

  /**
   * As {@link #sendSource(InputStream, BuildEvents)}, sending {@code treeObjects} before the
   * archive.
   *
   * @param treeObjects exactly as many tree objects as the request's {@link
   *     SourceMetadata#treeObjects()}
   * @throws IllegalArgumentException if their number is not the announced one
   */
  public StreamDigest sendSource(
      List<ByteString> treeObjects, InputStream archive, BuildEvents events) throws IOException {
    Objects.requireNonNull(treeObjects, "treeObjects");
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(events, "events");
    expect(State.REQUEST_SENT, "sendSource");
    int announced = request.sourceMetadata().treeObjects();
    if (treeObjects.size() != announced) {
      throw new IllegalArgumentException(
          "the build request announces "
              + announced
              + " tree objects, "
              + treeObjects.size()
              + " were given");
    }
    while (lastPhase == null) {
      Frame frame = receive();
      if (frame instanceof LogLine line) {
        events.onLog(line);
      } else if (frame instanceof Phase phase && phase.phase() == BuildPhase.RECEIVING) {
        lastPhase = BuildPhase.RECEIVING;
        events.onPhase(BuildPhase.RECEIVING);
      } else {
        throw violation(
            ErrorCode.UNEXPECTED_FRAME,
            "expected phase receiving after build_request, got " + describe(frame));
      }
    }
    for (ByteString tree : treeObjects) {
      sendOrExplain(new TreeObject(tree));
    }
    StreamVerifier verifier =
        new StreamVerifier(
            "source archive", request.sourceArchiveSize(), request.sourceArchiveSha256());
    StreamDigest digest =
        verifier.send(archive, chunk -> sendOrExplain(new SourceChunk(chunk)), this::localFailure);
    sendOrExplain(new SourceEnd());
    state = State.SOURCE_SENT;
    return digest;
  }

  /**
   * Reads the worker's frames until its result: log lines and phases go to {@code events}, the
   * bundle (if any) to {@code bundleSink}, checked against its announced size and SHA-256.
   *
   * <p>If this throws, {@code bundleSink} may hold partial or unverified data and must be
   * discarded.
   *
   * @return the result, and the bundle's verified digest if one came
   * @throws PeerGoneException if the worker vanished before its result
   * @throws RemoteErrorException if the worker ended the build with an error frame
   * @throws ProtocolException if the worker broke the protocol: an out-of-order frame, a bundle
   *     larger than {@link SessionLimits#maxBundleBytes()}, a size or digest mismatch, or a
   *     successful result without a bundle
   * @throws IOException if writing to {@code bundleSink} fails
   */
  public BuildOutcome awaitResult(BuildEvents events, OutputStream bundleSink) throws IOException {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(bundleSink, "bundleSink");
    expect(State.SOURCE_SENT, "awaitResult");
    StreamVerifier bundle = null;
    StreamDigest bundleDigest = null;
    while (true) {
      Frame frame = receive();
      if (frame instanceof LogLine line) {
        events.onLog(line);
      } else if (frame instanceof Phase phase) {
        if (phase.phase().compareTo(lastPhase) <= 0) {
          throw violation(
              ErrorCode.UNEXPECTED_FRAME,
              "phase " + wire(phase.phase()) + " does not follow " + wire(lastPhase));
        }
        lastPhase = phase.phase();
        events.onPhase(phase.phase());
      } else if (frame instanceof BundleStart start) {
        if (bundle != null || bundleDigest != null) {
          throw violation(ErrorCode.UNEXPECTED_FRAME, "a second bundle_start");
        }
        if (start.size() > limits.maxBundleBytes()) {
          throw violation(
              ErrorCode.LIMIT_EXCEEDED,
              "bundle of "
                  + start.size()
                  + " bytes exceeds this client's limit of "
                  + limits.maxBundleBytes()
                  + " bytes");
        }
        events.onBundleStart(start);
        bundle = new StreamVerifier("bundle", start.size(), start.sha256());
      } else if (frame instanceof BundleChunk chunk) {
        if (bundle == null) {
          throw violation(ErrorCode.UNEXPECTED_FRAME, "bundle_chunk outside a bundle");
        }
        try {
          bundle.add(chunk.data());
        } catch (ProtocolException e) {
          throw violation(e);
        }
        chunk.data().writeTo(bundleSink);
      } else if (frame instanceof BundleEnd) {
        if (bundle == null) {
          throw violation(ErrorCode.UNEXPECTED_FRAME, "bundle_end outside a bundle");
        }
        try {
          bundleDigest = bundle.finish();
        } catch (ProtocolException e) {
          throw violation(e);
        }
        bundle = null;
      } else if (frame instanceof Result result) {
        if (bundle != null) {
          throw violation(ErrorCode.UNEXPECTED_FRAME, "result inside a bundle (no bundle_end)");
        }
        if (result.success() && bundleDigest == null) {
          throw violation(ErrorCode.UNEXPECTED_FRAME, "a successful result without a bundle");
        }
        state = State.DONE;
        markFinished();
        return new BuildOutcome(result, Optional.ofNullable(bundleDigest));
      } else {
        throw violation(
            ErrorCode.UNEXPECTED_FRAME,
            "unexpected " + frame.frameType().wireName() + " while waiting for the result");
      }
    }
  }

  /**
   * The whole build after the handshake for a request without tree objects: {@link
   * #sendBuildRequest}, {@link #sendSource}, {@link #awaitResult}.
   */
  public BuildOutcome build(
      BuildRequest buildRequest, InputStream archive, BuildEvents events, OutputStream bundleSink)
      throws IOException {
    return build(buildRequest, List.of(), archive, events, bundleSink);
  }

  /**
   * The whole build after the handshake: {@link #sendBuildRequest}, {@link #sendSource} with {@code
   * treeObjects}, {@link #awaitResult}.
   */
  public BuildOutcome build(
      BuildRequest buildRequest,
      List<ByteString> treeObjects,
      InputStream archive,
      BuildEvents events,
      OutputStream bundleSink)
      throws IOException {
    sendBuildRequest(buildRequest);
    sendSource(treeObjects, archive, events);
    return awaitResult(events, bundleSink);
  }

  /**
   * Gives up: tells the worker ({@link ErrorCode#CANCELLED}, best effort) and closes the
   * connection. A method blocked in another thread then throws a {@link ProtocolException} with
   * code {@link ErrorCode#CANCELLED}. Never throws for I/O.
   */
  public void cancel(String reason) {
    ErrorFrame frame = ErrorFrame.fitting(ErrorCode.CANCELLED, reason);
    endLocally(
        new ProtocolException(ErrorCode.CANCELLED, "cancelled by the client: " + frame.message()));
    sendFinalError(frame.code(), frame.message());
    closeConnection();
  }

  /**
   * Sends a frame while streaming the source. If the worker closed the connection, it most likely
   * sent an error first (the source is refused at the first bad chunk); report that error rather
   * than the broken pipe when it can still be read.
   */
  private void sendOrExplain(Frame frame) throws ProtocolException {
    sendLock.lock();
    try {
      checkNotEnded("sending " + frame.frameType().wireName());
      try {
        codec.write(connection.output(), frame);
      } catch (PeerGoneException gone) {
        try {
          if (codec.read(connection.input()) instanceof ErrorFrame error) {
            RemoteErrorException remote = new RemoteErrorException(error);
            remote.addSuppressed(gone);
            throw abort(remote);
          }
        } catch (RemoteErrorException remote) {
          throw remote;
        } catch (ProtocolException unreadable) {
          gone.addSuppressed(unreadable);
        }
        throw abort(gone);
      }
    } finally {
      sendLock.unlock();
    }
  }

  /** This side's own data is wrong: tell the worker and stop. */
  private ProtocolException localFailure(ProtocolException e) {
    endLocally(e);
    sendFinalError(
        e.code(),
        "the client's source archive does not match its build request: " + e.getMessage());
    closeConnection();
    return e;
  }

  private void expect(State expected, String method) throws ProtocolException {
    checkNotEnded(method);
    if (state != expected) {
      throw new IllegalStateException(method + " called while the session is in state " + state);
    }
  }

  private static String describe(Frame frame) {
    return frame instanceof Phase phase
        ? "phase " + wire(phase.phase())
        : frame.frameType().wireName();
  }

  private static String wire(BuildPhase phase) {
    return phase.name().toLowerCase(Locale.ROOT);
  }
}
