package dev.teec.enclave.protocol;

import dev.teec.enclave.protocol.transport.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The worker's end of one session (SPEC.md W8.4). Enforces the frame order, checks the limits and
 * verifies the source archive; a malformed or out-of-order frame from the client is answered with
 * an {@code error} frame and closes the session, never anything worse.
 *
 * <p>The sequence, each step at most once:
 *
 * <ol>
 *   <li>{@link #handshake()}: the client's hello in, the worker's hello out;
 *   <li>{@link #receiveBuildRequest()}; the worker validates build.json and calls {@link #fail} if
 *       it is unacceptable;
 *   <li>{@link #receiveTreeObjects()}: announces {@link BuildPhase#RECEIVING}, which tells the
 *       client to start sending, and returns the tree objects the request announced (none for a
 *       request without a commit object); the worker checks them and calls {@link #fail} if the
 *       claim does not hold;
 *   <li>{@link #receiveSource(OutputStream)}: returns the verified size and digest of the archive;
 *   <li>while building: {@link #watchPeer()} on a thread of its own, {@link #sendPhase}, {@link
 *       #sendLog} from any thread;
 *   <li>{@link #sendBundle} (optional for a failed build), then {@link #sendResult}; or {@link
 *       #fail} at any point;
 *   <li>{@link #close()}.
 * </ol>
 *
 * <p>The receiving methods (1-4) must be called from one thread at a time; the sending methods may
 * be called from any thread. The {@code onAbort} callback runs exactly once, on whichever thread
 * noticed, when the session ends because of the client: it vanished ({@link PeerGoneException}),
 * broke the protocol, or sent an error (e.g. {@link ErrorCode#CANCELLED}). The worker must then
 * stop the build. It does not run when the worker itself ends the session ({@link #sendResult},
 * {@link #fail}, {@link #close}).
 */
public final class WorkerSession extends Session {

  private enum Inbound {
    AWAIT_HELLO,
    AWAIT_REQUEST,
    AWAIT_TREES,
    AWAIT_SOURCE,
    SOURCE_DONE
  }

  private enum Outbound {
    BEFORE_HELLO,
    OPEN,
    BUNDLE,
    DONE
  }

  private final WorkerHello hello;
  private final SessionLimits limits;
  private volatile Inbound inbound = Inbound.AWAIT_HELLO;
  private volatile BuildRequest request;
  private Outbound outbound = Outbound.BEFORE_HELLO;
  private boolean bundleSent;
  private BuildPhase lastPhase;

  /**
   * @param connection the accepted connection; the session owns it from now on
   * @param hello what to answer the client's hello with
   * @param limits the largest source archive this worker accepts
   * @param onAbort called once if the client ends the session (see the class description)
   */
  public WorkerSession(
      Connection connection,
      WorkerHello hello,
      SessionLimits limits,
      Consumer<ProtocolException> onAbort) {
    super(
        Objects.requireNonNull(connection, "connection"),
        Objects.requireNonNull(onAbort, "onAbort"));
    this.hello = Objects.requireNonNull(hello, "hello");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Reads the client's hello and answers with the worker's.
   *
   * @throws ProtocolException if the first frame is not a hello, or names another protocol version
   *     ({@link ErrorCode#UNSUPPORTED_VERSION}); the client has been told and the connection is
   *     closed
   */
  public ClientHello handshake() throws ProtocolException {
    expect(Inbound.AWAIT_HELLO, "handshake");
    Frame frame = receive();
    if (!(frame instanceof ClientHello clientHello)) {
      throw violation(
          ErrorCode.UNEXPECTED_FRAME,
          "expected client_hello as the first frame, got " + frame.frameType().wireName());
    }
    sendLock.lock();
    try {
      write(hello);
      outbound = Outbound.OPEN;
    } finally {
      sendLock.unlock();
    }
    inbound = Inbound.AWAIT_REQUEST;
    return clientHello;
  }

  /**
   * Reads the build request.
   *
   * @throws ProtocolException if the next frame is not a build request, or announces a source
   *     archive larger than {@link SessionLimits#maxSourceBytes()} ({@link
   *     ErrorCode#LIMIT_EXCEEDED})
   */
  public BuildRequest receiveBuildRequest() throws ProtocolException {
    expect(Inbound.AWAIT_REQUEST, "receiveBuildRequest");
    Frame frame = receive();
    if (!(frame instanceof BuildRequest buildRequest)) {
      throw violation(
          ErrorCode.UNEXPECTED_FRAME,
          "expected build_request, got " + frame.frameType().wireName());
    }
    if (buildRequest.sourceArchiveSize() > limits.maxSourceBytes()) {
      throw violation(
          ErrorCode.LIMIT_EXCEEDED,
          "source archive of "
              + buildRequest.sourceArchiveSize()
              + " bytes exceeds this worker's limit of "
              + limits.maxSourceBytes()
              + " bytes");
    }
    request = buildRequest;
    inbound = Inbound.AWAIT_TREES;
    return buildRequest;
  }

  /**
   * Announces {@link BuildPhase#RECEIVING}, then reads the {@link SourceMetadata#treeObjects()}
   * tree objects the request announced (none, at once, if it announced none).
   *
   * @return the objects' contents, in the order received
   * @throws ProtocolException for a malformed or out-of-order frame (anything but a tree object
   *     before the announced number), or tree objects of more than {@link Protocol#MAX_TREE_BYTES}
   *     in total ({@link ErrorCode#LIMIT_EXCEEDED}); the client has been told and the connection is
   *     closed
   */
  public List<byte[]> receiveTreeObjects() throws ProtocolException {
    expect(Inbound.AWAIT_TREES, "receiveTreeObjects");
    announceReceiving();
    int announced = request.sourceMetadata().treeObjects();
    List<byte[]> trees = new ArrayList<>(Math.min(announced, 1024));
    long total = 0;
    while (trees.size() < announced) {
      Frame frame = receive();
      if (!(frame instanceof TreeObject tree)) {
        throw violation(
            ErrorCode.UNEXPECTED_FRAME,
            "expected tree_object "
                + (trees.size() + 1)
                + " of "
                + announced
                + ", got "
                + frame.frameType().wireName());
      }
      total += tree.data().size();
      if (total > Protocol.MAX_TREE_BYTES) {
        throw violation(
            ErrorCode.LIMIT_EXCEEDED,
            "tree objects exceed " + Protocol.MAX_TREE_BYTES + " bytes in total");
      }
      trees.add(tree.data().toArray());
    }
    inbound = Inbound.AWAIT_SOURCE;
    return trees;
  }

  /**
   * Copies the source archive to {@code sink} chunk by chunk and checks it against the request's
   * size and SHA-256; call after {@link #receiveTreeObjects()} (which a request announcing no tree
   * objects may skip: then this announces {@link BuildPhase#RECEIVING}).
   *
   * <p>On any exception the sink holds partial or unverified data and must be discarded. Data
   * beyond the announced size is refused at the chunk that exceeds it. Send no log lines meanwhile:
   * the client reads nothing until it has sent the whole source.
   *
   * @return the verified size and digest (equal to the request's)
   * @throws ProtocolException for a malformed or out-of-order frame, or a size or digest mismatch
   *     ({@link ErrorCode#SIZE_MISMATCH}, {@link ErrorCode#DIGEST_MISMATCH}); the client has been
   *     told and the connection is closed
   * @throws IOException if writing to {@code sink} fails (then call {@link #fail})
   */
  public StreamDigest receiveSource(OutputStream sink) throws IOException {
    if (inbound == Inbound.AWAIT_TREES && request.sourceMetadata().treeObjects() == 0) {
      receiveTreeObjects(); // nothing to read: just the phase
    }
    expect(Inbound.AWAIT_SOURCE, "receiveSource");
    BuildRequest announced = request;
    StreamVerifier verifier =
        new StreamVerifier(
            "source archive", announced.sourceArchiveSize(), announced.sourceArchiveSha256());
    while (true) {
      Frame frame = receive();
      if (frame instanceof SourceChunk chunk) {
        try {
          verifier.add(chunk.data());
        } catch (ProtocolException e) {
          throw violation(e);
        }
        chunk.data().writeTo(sink);
      } else if (frame instanceof SourceEnd) {
        try {
          StreamDigest digest = verifier.finish();
          inbound = Inbound.SOURCE_DONE;
          return digest;
        } catch (ProtocolException e) {
          throw violation(e);
        }
      } else {
        throw violation(
            ErrorCode.UNEXPECTED_FRAME,
            "expected source_chunk or source_end, got " + frame.frameType().wireName());
      }
    }
  }

  /**
   * Blocks until the session is over, watching the client while the build runs: the client sends
   * nothing after the source, so whatever the read returns means the session is over. Run it on a
   * thread of its own after {@link #receiveSource}.
   *
   * @throws PeerGoneException if the client vanished before the worker finished (the build must
   *     stop; {@code onAbort} has run too)
   * @throws ProtocolException if the client sent a frame (an error frame, e.g. a cancellation,
   *     gives {@link RemoteErrorException}); returns normally once the worker has sent its result
   *     or error, or closed the session
   */
  public void watchPeer() throws ProtocolException {
    if (ended() && !endedByPeer()) {
      return;
    }
    expect(Inbound.SOURCE_DONE, "watchPeer");
    Frame frame;
    try {
      frame = receive();
    } catch (ProtocolException e) {
      if (!endedByPeer()) {
        // The worker finished or gave up and closed the connection; the read just woke up.
        return;
      }
      throw e;
    }
    throw violation(
        ErrorCode.UNEXPECTED_FRAME,
        "the client must send nothing after source_end, got " + frame.frameType().wireName());
  }

  /**
   * Announces a phase. Phases only move forward ({@link BuildPhase} order; skipping is fine).
   *
   * @throws IllegalStateException before the handshake, after the worker's last frame, for a phase
   *     that does not move forward, or for a phase after {@code receiving} before {@link
   *     #receiveSource} returned
   * @throws ProtocolException if the session has ended abnormally: because of the client (a {@link
   *     PeerGoneException} if it is gone) or by {@link #fail}
   */
  public void sendPhase(BuildPhase phase) throws ProtocolException {
    Objects.requireNonNull(phase, "phase");
    sendLock.lock();
    try {
      requireOpen("sendPhase");
      if (lastPhase != null && phase.compareTo(lastPhase) <= 0) {
        throw new IllegalStateException("phase " + phase + " does not follow " + lastPhase);
      }
      if (phase != BuildPhase.RECEIVING && inbound != Inbound.SOURCE_DONE) {
        throw new IllegalStateException("phase " + phase + " before the source was received");
      }
      write(new Phase(phase));
      lastPhase = phase;
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * Sends a log line, cut to {@link Protocol#MAX_LOG_LINE_BYTES} if longer. Lines may still be
   * arriving from the build's output after the session ended (result sent, failure, client gone);
   * they are dropped, so an output pump can simply keep calling this until the build's output ends.
   *
   * @return whether the line was sent
   * @throws IllegalStateException before the handshake
   * @throws PeerGoneException if this very write found the client gone ({@code onAbort} has run)
   */
  public boolean sendLog(LogStream stream, String line) throws PeerGoneException {
    LogLine frame = LogLine.fitting(stream, line);
    sendLock.lock();
    try {
      if (outbound == Outbound.BEFORE_HELLO) {
        throw new IllegalStateException("sendLog before the handshake");
      }
      if (outbound == Outbound.DONE || ended()) {
        return false;
      }
      try {
        write(frame);
      } catch (PeerGoneException e) {
        throw e;
      } catch (ProtocolException e) {
        // Ended between the check above and the write, by another thread: drop the line.
        return false;
      }
      return true;
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * Streams the bundle: a bundle start with {@code size} and {@code sha256}, the data in chunks of
   * {@link Protocol#MAX_CHUNK_BYTES}, a bundle end. At most once per session.
   *
   * @param data exactly {@code size} bytes whose SHA-256 is {@code sha256}; if it yields anything
   *     else the session fails with {@link ErrorCode#INTERNAL} (the client must not take a bundle
   *     that does not match what was announced) and an {@link IOException} is thrown
   * @throws IllegalStateException outside the open phase of the session or for a second bundle
   * @throws ProtocolException if the session has ended abnormally: because of the client (a {@link
   *     PeerGoneException} if it is gone) or by {@link #fail}
   * @throws IOException if reading {@code data} fails (then call {@link #fail})
   */
  public void sendBundle(InputStream data, long size, ByteString sha256) throws IOException {
    BundleStart start = new BundleStart(size, sha256);
    sendLock.lock();
    try {
      requireState(Outbound.OPEN, "sendBundle");
      if (bundleSent) {
        throw new IllegalStateException("the bundle was already sent");
      }
      write(start);
      outbound = Outbound.BUNDLE;
    } finally {
      sendLock.unlock();
    }
    StreamVerifier verifier = new StreamVerifier("bundle", size, sha256);
    verifier.send(
        data,
        chunk -> {
          sendLock.lock();
          try {
            requireState(Outbound.BUNDLE, "sendBundle");
            write(new BundleChunk(chunk));
          } finally {
            sendLock.unlock();
          }
        },
        this::bundleMismatch);
    sendLock.lock();
    try {
      requireState(Outbound.BUNDLE, "sendBundle");
      write(new BundleEnd());
      outbound = Outbound.OPEN;
      bundleSent = true;
    } finally {
      sendLock.unlock();
    }
  }

  private IOException bundleMismatch(ProtocolException e) {
    fail(
        ErrorCode.INTERNAL,
        "the worker's bundle did not match what it announced: " + e.getMessage());
    return new IOException(
        "bundle data does not match its announced size and digest: " + e.getMessage(), e);
  }

  /**
   * Sends the result, the worker's last frame. A successful result needs a complete bundle first.
   *
   * @throws IllegalStateException outside the open phase, during the bundle, or for a success
   *     without a bundle
   * @throws ProtocolException if the session has ended abnormally: because of the client (a {@link
   *     PeerGoneException} if it is gone) or by {@link #fail}
   */
  public void sendResult(Result result) throws ProtocolException {
    Objects.requireNonNull(result, "result");
    sendLock.lock();
    try {
      requireState(Outbound.OPEN, "sendResult");
      if (result.success() && !bundleSent) {
        throw new IllegalStateException("a successful result must follow a bundle");
      }
      writeLast(result);
      outbound = Outbound.DONE;
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * Ends the session with an error frame (best effort: nothing is sent if the worker already sent
   * its last frame or the client is gone) and closes the connection. Never throws for I/O.
   *
   * @param code why; not {@link ErrorCode#PEER_GONE}
   * @param message for people; cut to {@link Protocol#MAX_MESSAGE_BYTES}
   */
  public void fail(ErrorCode code, String message) {
    ErrorFrame frame = ErrorFrame.fitting(code, message);
    // No send lock here: a sender may be stuck on a client that does not read. Once the end is
    // recorded, every send refuses to go ahead, whatever the outbound state says.
    endLocally(new ProtocolException(code, "the worker ended the session: " + frame.message()));
    sendFinalError(frame.code(), frame.message());
    closeConnection();
  }

  private void announceReceiving() throws ProtocolException {
    sendLock.lock();
    try {
      if (lastPhase == null) {
        sendPhase(BuildPhase.RECEIVING);
      }
    } finally {
      sendLock.unlock();
    }
  }

  private void expect(Inbound state, String method) throws ProtocolException {
    checkNotEnded(method);
    if (inbound != state) {
      throw new IllegalStateException(method + " called while the session is in state " + inbound);
    }
  }

  private void requireOpen(String method) throws ProtocolException {
    checkNotEnded(method);
    if (outbound == Outbound.BEFORE_HELLO || outbound == Outbound.DONE) {
      throw new IllegalStateException(method + " called while the session is in state " + outbound);
    }
  }

  private void requireState(Outbound state, String method) throws ProtocolException {
    checkNotEnded(method);
    if (outbound != state) {
      throw new IllegalStateException(method + " called while the session is in state " + outbound);
    }
  }
}
