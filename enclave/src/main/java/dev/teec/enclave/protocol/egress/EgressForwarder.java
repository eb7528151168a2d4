package dev.teec.enclave.protocol.egress;

import dev.teec.enclave.protocol.EgressOk;
import dev.teec.enclave.protocol.EgressOpen;
import dev.teec.enclave.protocol.ErrorCode;
import dev.teec.enclave.protocol.ErrorFrame;
import dev.teec.enclave.protocol.Frame;
import dev.teec.enclave.protocol.FrameCodec;
import dev.teec.enclave.protocol.PeerGoneException;
import dev.teec.enclave.protocol.ProtocolException;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.Connection;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The host's side of the egress channel (SPEC.md W9). For each connection from the enclave: read
 * one {@code egress_open}, check it against the allowlist, connect upstream, answer {@code
 * egress_ok}, then copy bytes both ways until both directions have ended; any refusal is an {@code
 * error} frame ({@link ErrorCode#DENIED}, {@link ErrorCode#UPSTREAM_UNREACHABLE}, {@link
 * ErrorCode#BUSY}, or the decoding error) followed by close.
 *
 * <p>The forwarder never interprets relayed bytes; the enclave runs TLS through it. End of stream
 * in one direction is passed on as a half-close, and both connections are closed once both
 * directions have ended or either fails. At most {@code maxConnections} connections are handled at
 * once (each uses two threads from the factory); further ones are refused with {@link
 * ErrorCode#BUSY}. Upstream connections are opened with a 10-second connect timeout and end the
 * relay when upstream has sent nothing for 5 minutes ({@link #UPSTREAM_CONNECT_TIMEOUT}, {@link
 * #UPSTREAM_IDLE_TIMEOUT}). If accepting itself fails, the forwarder reports it to the audit
 * consumer and stops (to be restarted by whatever supervises the host service) rather than spin on
 * a persistent error.
 */
public final class EgressForwarder implements Closeable {

  private static final int RELAY_BUFFER_BYTES = 16 * 1024;

  /** How long the forwarder tries to connect to each upstream address. */
  public static final Duration UPSTREAM_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How long a relay waits for upstream to send something before closing both sides; longer than
   * the worker proxy's own read timeout, so the enclave gives up first.
   */
  public static final Duration UPSTREAM_IDLE_TIMEOUT = Duration.ofMinutes(5);

  private final Acceptor acceptor;
  private final EgressAllowlist allowlist;
  private final UpstreamConnector upstream;
  private final Duration upstreamIdleTimeout;
  private final int maxConnections;
  private final Semaphore slots;
  private final ThreadFactory threads;
  private final Consumer<EgressEvent> audit;
  private final FrameCodec codec = new FrameCodec(EgressClient.MAX_FRAME_BYTES);
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final Object lifecycle = new Object();
  private boolean started;
  private volatile boolean closed;

  /**
   * @param acceptor where enclaves connect (in Nitro: a vsock listener on the parent instance)
   * @param allowlist which hosts and ports may be reached
   * @param upstream how to reach them, normally {@link TcpUpstreamConnector#publicInternet()}
   * @param maxConnections 1..10000 concurrent connections
   * @param threads makes the accept thread and two threads per connection
   * @param audit told of every decision; called from the forwarder's threads, must not block
   */
  public EgressForwarder(
      Acceptor acceptor,
      EgressAllowlist allowlist,
      UpstreamConnector upstream,
      int maxConnections,
      ThreadFactory threads,
      Consumer<EgressEvent> audit) {
    this(acceptor, allowlist, upstream, maxConnections, threads, audit, UPSTREAM_IDLE_TIMEOUT);
  }

  /** As the public constructor, with a shorter idle timeout for tests. */
  EgressForwarder(
      Acceptor acceptor,
      EgressAllowlist allowlist,
      UpstreamConnector upstream,
      int maxConnections,
      ThreadFactory threads,
      Consumer<EgressEvent> audit,
      Duration upstreamIdleTimeout) {
    this.upstreamIdleTimeout = Objects.requireNonNull(upstreamIdleTimeout, "upstreamIdleTimeout");
    this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
    this.allowlist = Objects.requireNonNull(allowlist, "allowlist");
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    if (maxConnections < 1 || maxConnections > 10_000) {
      throw new IllegalArgumentException(
          "maxConnections must be in 1..10000, got " + maxConnections);
    }
    this.maxConnections = maxConnections;
    this.slots = new Semaphore(maxConnections);
    this.threads = Objects.requireNonNull(threads, "threads");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /** Starts accepting on a thread from the factory. Once only. */
  public void start() {
    synchronized (lifecycle) {
      if (started || closed) {
        throw new IllegalStateException(
            closed ? "the forwarder is closed" : "the forwarder is already started");
      }
      started = true;
    }
    threads.newThread(this::acceptLoop).start();
  }

  /** Connections being handled now (requests being checked and relays). */
  public int activeConnections() {
    return maxConnections - slots.availablePermits();
  }

  /** Stops accepting and closes every connection being handled. Idempotent. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      closed = true;
    }
    try {
      acceptor.close();
    } catch (IOException e) {
      // Stopping anyway; the listener is of no further use.
    }
    for (Connection connection : open) {
      closeQuietly(connection);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Connection enclave;
      try {
        enclave = acceptor.accept();
      } catch (IOException e) {
        if (!closed) {
          audit.accept(
              new EgressEvent(
                  "?",
                  "",
                  Optional.of(ErrorCode.INTERNAL),
                  "accept failed, forwarder stopped: " + e.getMessage()));
          close();
        }
        return;
      }
      if (!slots.tryAcquire()) {
        refuse(
            enclave,
            "",
            ErrorCode.BUSY,
            "the forwarder is at its limit of " + maxConnections + " connections");
        continue;
      }
      open.add(enclave);
      if (closed) {
        finish(enclave, null);
        return;
      }
      try {
        threads.newThread(() -> handle(enclave)).start();
      } catch (RuntimeException e) {
        finish(enclave, null);
        audit.accept(
            new EgressEvent(
                enclave.peer(),
                "",
                Optional.of(ErrorCode.INTERNAL),
                "could not start a thread: " + e));
      }
    }
  }

  private void handle(Connection enclave) {
    Connection up = null;
    try {
      Frame frame;
      try {
        frame = codec.read(enclave.input());
      } catch (PeerGoneException e) {
        audit.accept(
            new EgressEvent(
                enclave.peer(),
                "",
                Optional.of(ErrorCode.PEER_GONE),
                "closed before asking for anything"));
        return;
      } catch (ProtocolException e) {
        refuse(enclave, "", e.code(), e.getMessage());
        return;
      }
      if (!(frame instanceof EgressOpen request)) {
        refuse(
            enclave,
            "",
            ErrorCode.UNEXPECTED_FRAME,
            "expected egress_open, got " + frame.frameType().wireName());
        return;
      }
      String target = request.host() + ":" + request.port();
      if (!allowlist.permits(request.host(), request.port())) {
        refuse(enclave, target, ErrorCode.DENIED, target + " is not on the egress allowlist");
        return;
      }
      try {
        up =
            upstream.connect(
                request.host(), request.port(), UPSTREAM_CONNECT_TIMEOUT, upstreamIdleTimeout);
      } catch (IOException | RuntimeException e) {
        refuse(
            enclave,
            target,
            ErrorCode.UPSTREAM_UNREACHABLE,
            "cannot reach " + target + ": " + e.getMessage());
        return;
      }
      open.add(up);
      if (closed) {
        return;
      }
      try {
        codec.write(enclave.output(), new EgressOk());
      } catch (PeerGoneException e) {
        return;
      }
      audit.accept(
          new EgressEvent(enclave.peer(), target, Optional.empty(), "relaying to " + up.peer()));
      relay(enclave, up);
    } finally {
      finish(enclave, up);
    }
  }

  /** Copies upstream-to-enclave on a new thread and enclave-to-upstream on this one. */
  private void relay(Connection enclave, Connection up) {
    Thread back;
    try {
      back = threads.newThread(() -> pump(up, enclave));
      back.start();
    } catch (RuntimeException e) {
      return;
    }
    pump(enclave, up);
    try {
      back.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Copies {@code from} to {@code to} until end of stream, then half-closes {@code to}. If either
   * side fails, both are closed so the opposite pump stops too.
   */
  private static void pump(Connection from, Connection to) {
    byte[] buffer = new byte[RELAY_BUFFER_BYTES];
    InputStream in = from.input();
    OutputStream out = to.output();
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void refuse(Connection enclave, String target, ErrorCode code, String message) {
    ErrorFrame error = ErrorFrame.fitting(code, message);
    audit.accept(new EgressEvent(enclave.peer(), target, Optional.of(code), error.message()));
    try {
      codec.write(enclave.output(), error);
    } catch (PeerGoneException e) {
      // The enclave left before hearing why; nothing else to do.
    }
    if (!open.contains(enclave)) {
      closeQuietly(enclave);
    }
  }

  private void finish(Connection enclave, Connection up) {
    closeQuietly(enclave);
    open.remove(enclave);
    if (up != null) {
      closeQuietly(up);
      open.remove(up);
    }
    slots.release();
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (IOException e) {
      // Closing after the relay ended; the connection is unusable either way.
    }
  }
}
