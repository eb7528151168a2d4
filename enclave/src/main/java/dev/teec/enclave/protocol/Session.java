package dev.teec.enclave.protocol;

import dev.teec.enclave.protocol.transport.Connection;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What both ends of a session share: frame I/O over one connection, answering a malformed or
 * out-of-order frame with an {@code error} frame, and telling a vanished peer from a session that
 * simply ended.
 *
 * <p>Threads: receiving is for one thread at a time (the methods that read say so); sending is
 * serialised by {@link #sendLock}, so any number of threads may send.
 */
abstract class Session implements Closeable {

  private static final long FINAL_ERROR_WAIT_MILLIS = 1000;

  final Connection connection;
  final FrameCodec codec = new FrameCodec();

  /** Serialises sending; a lock rather than a monitor so giving up can avoid waiting forever. */
  final ReentrantLock sendLock = new ReentrantLock();

  private final Consumer<ProtocolException> onAbort;
  private final AtomicBoolean abortNotified = new AtomicBoolean();

  /** This side sent its last frame (result or error) or gave up: the peer leaving is no news. */
  private volatile boolean finished;

  private volatile boolean closed;

  /** Why the session ended abnormally, or null. */
  private volatile ProtocolException endCause;

  /** The session ended because of the peer: it vanished, broke the protocol or sent an error. */
  private volatile boolean endedByPeer;

  /**
   * This side has begun writing its last frame. The peer may read that frame and close before the
   * write returns, so from here on an end of stream on the read side is the session's normal end.
   */
  private volatile boolean lastFrameStarted;

  Session(Connection connection, Consumer<ProtocolException> onAbort) {
    this.connection = connection;
    this.onAbort = onAbort;
  }

  final boolean ended() {
    return finished || closed;
  }

  final boolean endedByPeer() {
    return endedByPeer;
  }

  final void markFinished() {
    finished = true;
  }

  /**
   * Throws if the session has ended abnormally (an exception of the same kind and code as the
   * cause: a {@link PeerGoneException} if the peer vanished) or was closed (IllegalStateException).
   */
  final void checkNotEnded(String action) throws ProtocolException {
    ProtocolException cause = endCause;
    if (cause instanceof PeerGoneException) {
      throw new PeerGoneException(action + ": " + cause.getMessage(), false, cause);
    }
    if (cause != null) {
      throw new ProtocolException(
          cause.code(), action + ": the session has ended: " + cause.getMessage(), cause);
    }
    if (closed) {
      throw new IllegalStateException(action + ": the session is closed");
    }
  }

  /**
   * Reads the next frame. A malformed frame is answered with an error frame; an error frame from
   * the peer becomes {@link RemoteErrorException}; in both cases and when the peer vanishes
   * mid-session, the connection is closed and the abort callback runs once.
   */
  final Frame receive() throws ProtocolException {
    Frame frame;
    try {
      frame = codec.read(connection.input());
    } catch (PeerGoneException e) {
      if (ended() || lastFrameStarted) {
        ProtocolException cause = endCause;
        if (cause != null && !(cause instanceof PeerGoneException)) {
          throw new ProtocolException(cause.code(), cause.getMessage(), e);
        }
        throw e;
      }
      throw abort(e);
    } catch (ProtocolException e) {
      throw violation(e);
    }
    if (frame instanceof ErrorFrame error) {
      throw abort(new RemoteErrorException(error));
    }
    return frame;
  }

  final ProtocolException violation(ErrorCode code, String message) {
    return violation(new ProtocolException(code, message));
  }

  /** The peer broke the protocol: tell it why (best effort), close, notify. */
  final ProtocolException violation(ProtocolException e) {
    boolean wasEnded = ended();
    sendFinalError(e.code(), e.getMessage());
    return abort(e, wasEnded);
  }

  /** Ends the session because of {@code e}: closes the connection and notifies once. */
  final ProtocolException abort(ProtocolException e) {
    return abort(e, ended());
  }

  private ProtocolException abort(ProtocolException e, boolean wasEnded) {
    endedByPeer = true;
    if (endCause == null) {
      endCause = e;
    }
    finished = true;
    closeConnection();
    if (!wasEnded && abortNotified.compareAndSet(false, true)) {
      try {
        onAbort.accept(e);
      } catch (RuntimeException callbackFailure) {
        e.addSuppressed(callbackFailure);
      }
    }
    return e;
  }

  /**
   * Writes a frame; the caller holds {@link #sendLock} and has checked the send state. A failed
   * write means the peer is gone: the session aborts.
   */
  final void write(Frame frame) throws ProtocolException {
    checkNotEnded("sending " + frame.frameType().wireName());
    try {
      codec.write(connection.output(), frame);
    } catch (PeerGoneException e) {
      if (!ended()) {
        abort(e);
      }
      throw e;
    }
  }

  /**
   * Writes this side's last frame and marks the session finished; the caller holds {@link
   * #sendLock} and has checked the send state. A peer that closes as soon as it has read the frame
   * does not abort the session, whichever thread sees the end of stream first; a failed write still
   * does.
   */
  final void writeLast(Frame frame) throws ProtocolException {
    lastFrameStarted = true;
    write(frame);
    markFinished();
  }

  /**
   * Sends an error frame unless this side already sent its last frame, and marks the end. If
   * another thread is stuck sending (to a peer that does not read) for {@link
   * #FINAL_ERROR_WAIT_MILLIS}, the error is skipped: the caller closes the connection next, which
   * unblocks that thread.
   */
  final void sendFinalError(ErrorCode code, String message) {
    boolean locked;
    try {
      locked = sendLock.tryLock(FINAL_ERROR_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      locked = false;
    }
    if (!locked) {
      finished = true;
      return;
    }
    try {
      if (!finished && !closed) {
        finished = true;
        try {
          codec.write(connection.output(), ErrorFrame.fitting(code, message));
        } catch (PeerGoneException e) {
          // The peer is gone already; the error had nobody to go to.
        }
      }
    } finally {
      sendLock.unlock();
    }
  }

  /** Records why this side ended the session on purpose (a later read then reports this cause). */
  final void endLocally(ProtocolException cause) {
    if (endCause == null) {
      endCause = cause;
    }
  }

  final void closeConnection() {
    closed = true;
    try {
      connection.close();
    } catch (IOException e) {
      // Closing is the last thing a session does; a failure to close changes nothing.
    }
  }

  /**
   * Closes the connection without sending anything; a reader blocked on it wakes up. Idempotent.
   */
  @Override
  public void close() {
    closeConnection();
  }
}
