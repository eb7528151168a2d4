package dev.teec.enclave.proxy;

import dev.teec.enclave.protocol.egress.TcpUpstreamConnector;
import dev.teec.enclave.protocol.egress.UpstreamConnector;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The forward proxy a build's network traffic goes through, recording every request.
 *
 * <p>It speaks the HTTP/1.1 proxy protocol on a listening socket (loopback by default): plain HTTP
 * as absolute-form requests ({@code GET http://host/path HTTP/1.1}), HTTPS as {@code CONNECT
 * host:port}, after which it terminates the client's TLS with a certificate for that host issued by
 * the build's {@link ProxyCa}, and forwards each request over its own new TLS connection to the
 * real host, validating the server's chain against {@code upstreamTls}'s trust managers (the JDK's
 * default trust store unless configured) and its host name. Requests to hosts outside the {@link
 * HostAllowlist} are answered 403 and never leave the proxy.
 *
 * <p>Each request yields exactly one {@link NetworkRecord}, added when the exchange ends (body
 * relayed, or failed); {@link #records()} lists them in that completion order. Bodies are streamed
 * and hashed on the way, never held in memory; a response longer than {@code maxResponseBytes} is
 * cut off and recorded as failed.
 *
 * <p>With {@linkplain Builder#replay offline replay} configured, responses come from an earlier
 * build's records and a content-addressed cache instead of upstream (see {@link OfflineReplay});
 * everything else, records included, works the same.
 *
 * <p>Thread-safe. One thread per client connection, at most {@code maxConnections} at once (more
 * are answered 503). {@link #close()} stops listening and aborts every open connection.
 */
public final class RecordingProxy implements AutoCloseable {

  private final ProxySettings settings;
  private final Consumer<NetworkRecord> listener;
  private final ServerSocket server;
  private final ThreadPoolExecutor workers;
  private final Thread acceptor;
  private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
  private final List<NetworkRecord> records = new ArrayList<>();
  private volatile boolean closed;

  private RecordingProxy(
      ProxySettings settings,
      Consumer<NetworkRecord> listener,
      ServerSocket server,
      int maxConnections) {
    this.settings = settings;
    this.listener = listener;
    this.server = server;
    AtomicInteger threads = new AtomicInteger();
    String name = "teec-proxy-" + server.getLocalPort() + "-";
    this.workers =
        new ThreadPoolExecutor(
            0,
            maxConnections,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, name + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, name + "accept");
    this.acceptor.setDaemon(true);
  }

  /** A builder for a proxy issuing its TLS certificates from {@code ca}. */
  public static Builder builder(ProxyCa ca) {
    return new Builder(ca);
  }

  /** The address the proxy listens on (the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** The CA whose root the build's toolchains must trust. */
  public ProxyCa ca() {
    return settings.ca();
  }

  /** The allowlist this proxy enforces. */
  public HostAllowlist allowlist() {
    return settings.allowlist();
  }

  /**
   * An immutable snapshot of the records so far, in the order the exchanges ended. That order
   * depends on timing when the build fetches in parallel: reports should sort with {@link
   * NetworkRecord#CANONICAL_ORDER}.
   */
  public List<NetworkRecord> records() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }

  private void record(NetworkRecord r) {
    synchronized (records) {
      records.add(r);
    }
    try {
      listener.accept(r);
    } catch (RuntimeException e) {
      // A failing observer must not break the build's connection; the record itself is kept.
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // Out of file descriptors or similar: back off instead of spinning, then keep serving.
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          return;
        }
        continue;
      }
      try {
        workers.execute(() -> serve(socket));
      } catch (RejectedExecutionException e) {
        refuse(socket);
      }
    }
  }

  private void serve(Socket socket) {
    open.add(socket);
    try {
      if (closed) {
        return;
      }
      socket.setSoTimeout(Math.toIntExact(settings.readTimeout().toMillis()));
      socket.setTcpNoDelay(true);
      new ProxySession(settings, this::record, open::add, open::remove, socket).run();
    } catch (IOException e) {
      // The connection failed before its first request: nothing to record.
    } finally {
      closeQuietly(socket);
      open.remove(socket);
    }
  }

  private static void refuse(Socket socket) {
    try (socket;
        OutputStream out = socket.getOutputStream()) {
      byte[] body = "teec proxy: too many connections\n".getBytes(StandardCharsets.UTF_8);
      out.write(
          ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
    } catch (IOException e) {
      // The client is gone already.
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Closing is best effort here.
    }
  }

  /**
   * Stops listening, aborts all client and upstream connections and waits (briefly) for their
   * threads.
   */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Closeable c : open) {
      closeQuietly(c);
    }
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "RecordingProxy[" + address() + "]";
  }

  /** Configures and starts a {@link RecordingProxy}. Not thread-safe. */
  public static final class Builder {
    private final ProxyCa ca;
    private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private HostAllowlist allowlist = HostAllowlist.none();
    private UpstreamConnector connector = TcpUpstreamConnector.anyAddress();
    private SSLContext upstreamTls;
    private long maxResponseBytes = 1L << 30;
    private long maxRequestBodyBytes = 16L << 20;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration readTimeout = Duration.ofSeconds(120);
    private int maxConnections = 128;
    private Consumer<NetworkRecord> listener = r -> {};
    private OfflineReplay replay;

    private Builder(ProxyCa ca) {
      this.ca = Objects.requireNonNull(ca, "ca");
    }

    /** Where to listen; default the loopback address with an ephemeral port. */
    public Builder bind(InetSocketAddress address) {
      this.bind = Objects.requireNonNull(address, "bind");
      return this;
    }

    /** The hosts requests may go to; default {@link HostAllowlist#none()}. */
    public Builder allowlist(HostAllowlist allowlist) {
      this.allowlist = Objects.requireNonNull(allowlist, "allowlist");
      return this;
    }

    /** How upstream connections are opened; default {@link TcpUpstreamConnector#anyAddress()}. */
    public Builder connector(UpstreamConnector connector) {
      this.connector = Objects.requireNonNull(connector, "connector");
      return this;
    }

    /**
     * The TLS context for upstream connections: its trust managers decide which servers are
     * trusted. Default {@link SSLContext#getDefault()} (the JDK's trust store). Host names are
     * verified whatever the context.
     */
    public Builder upstreamTls(SSLContext context) {
      this.upstreamTls = Objects.requireNonNull(context, "upstreamTls");
      return this;
    }

    /** Largest response body relayed, in bytes; default 1 GiB. */
    public Builder maxResponseBytes(long bytes) {
      this.maxResponseBytes = positive(bytes, "maxResponseBytes");
      return this;
    }

    /** Largest request body accepted from the build, in bytes; default 16 MiB. */
    public Builder maxRequestBodyBytes(long bytes) {
      this.maxRequestBodyBytes = positive(bytes, "maxRequestBodyBytes");
      return this;
    }

    /** Time allowed to open an upstream connection; default 30 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Longest wait for bytes from either side, including an idle kept-alive client; default 120 s.
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /** Most client connections served at once; default 128. */
    public Builder maxConnections(int connections) {
      this.maxConnections = (int) positive(connections, "maxConnections");
      return this;
    }

    /**
     * Called with each record as it is made, on the connection's thread (for example to log fetches
     * into the build log). Must be quick; exceptions it throws are ignored.
     */
    public Builder listener(Consumer<NetworkRecord> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Offline replay: answer every request from {@code replay} and never contact upstream (the
     * connector is not used). The allowlist still applies first. Default: live, no replay.
     */
    public Builder replay(OfflineReplay replay) {
      this.replay = Objects.requireNonNull(replay, "replay");
      return this;
    }

    /**
     * Binds the listening socket and starts accepting connections.
     *
     * @throws IOException if the address cannot be bound
     */
    public RecordingProxy start() throws IOException {
      SSLContext tls = upstreamTls;
      if (tls == null) {
        try {
          tls = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("no default TLS context in this JVM", e);
        }
      }
      ProxySettings settings =
          new ProxySettings(
              ca,
              allowlist,
              connector,
              tls,
              maxResponseBytes,
              maxRequestBodyBytes,
              connectTimeout,
              readTimeout,
              replay);
      ServerSocket server = new ServerSocket();
      try {
        server.bind(bind, 128);
      } catch (IOException e) {
        server.close();
        throw new IOException("cannot listen on " + bind + ": " + e.getMessage(), e);
      }
      RecordingProxy proxy = new RecordingProxy(settings, listener, server, maxConnections);
      proxy.acceptor.start();
      return proxy;
    }

    private static long positive(long value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    private static Duration positive(Duration value, String name) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }
  }
}
