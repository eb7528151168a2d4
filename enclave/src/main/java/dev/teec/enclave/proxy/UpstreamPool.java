package dev.teec.enclave.proxy;

import dev.teec.enclave.protocol.transport.Connection;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * The upstream connection a client session keeps alive between requests: at most one, reused for
 * the next request to the same scheme, host and port when the last response allowed it. Https
 * connections carry the proxy's own TLS ({@link EngineTls}) over the connector's raw bytes.
 */
final class UpstreamPool implements Closeable {

  private final ProxySettings settings;
  private final Consumer<Closeable> track;
  private final Consumer<Closeable> untrack;
  private Upstream current;

  /** One connection to an upstream server, TLS included when https. */
  private static final class Upstream {
    final String key;
    final Connection raw;
    // The TLS layer for https (closing it sends close_notify), else the raw connection.
    final Closeable connection;
    final HttpInput in;
    final OutputStream out;
    boolean reusable;

    Upstream(String key, Connection raw, Closeable connection, HttpInput in, OutputStream out) {
      this.key = key;
      this.raw = raw;
      this.connection = connection;
      this.in = in;
      this.out = out;
    }
  }

  /**
   * @param track called with each raw connection opened, so the proxy can abort it on shutdown
   * @param untrack called when that connection is closed
   */
  UpstreamPool(ProxySettings settings, Consumer<Closeable> track, Consumer<Closeable> untrack) {
    this.settings = settings;
    this.track = track;
    this.untrack = untrack;
  }

  /**
   * Makes the current connection one to {@code target}: the kept one when it fits and {@code fresh}
   * is false, else a new one.
   *
   * @param fresh whether a new connection is required (a request with a body cannot be retried)
   * @return whether a kept connection was reused (it may have been closed by the server meanwhile)
   */
  boolean connect(RequestTarget target, boolean fresh) throws IOException {
    if (current != null
        && current.reusable
        && !fresh
        && current.key.equals(target.connectionKey())) {
      current.reusable = false;
      return true;
    }
    close();
    Hosts.Authority a = target.authority();
    Connection raw =
        settings
            .connector()
            .connect(a.host(), a.port(), settings.connectTimeout(), settings.readTimeout());
    track.accept(raw);
    try {
      if (target.https()) {
        EngineTls tls = EngineTls.connect(settings.upstreamTls(), a.host(), a.port(), raw);
        current = upstream(target, raw, tls, tls.input(), tls.output());
      } else {
        current = upstream(target, raw, raw, raw.input(), raw.output());
      }
    } catch (IOException | RuntimeException e) {
      untrack.accept(raw);
      raw.close();
      throw e;
    }
    return false;
  }

  private static Upstream upstream(
      RequestTarget target,
      Connection raw,
      Closeable connection,
      InputStream in,
      OutputStream out) {
    return new Upstream(
        target.connectionKey(),
        raw,
        connection,
        new HttpInput(in),
        new BufferedOutputStream(out, ProxySession.COPY_BUFFER));
  }

  /** Bytes from the current connection. */
  HttpInput in() {
    return current.in;
  }

  /** Bytes to the current connection (buffered: flush to send). */
  OutputStream out() {
    return current.out;
  }

  /** The response just relayed left the connection fit for the next request. */
  void keep() {
    current.reusable = true;
  }

  /** Closes the current connection, if any; never throws. */
  @Override
  public void close() {
    if (current != null) {
      try {
        current.connection.close();
      } catch (IOException e) {
        // Nothing more to do with a connection being dropped.
      }
      untrack.accept(current.raw);
      current = null;
    }
  }
}
