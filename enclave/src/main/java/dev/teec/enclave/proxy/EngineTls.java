package dev.teec.enclave.proxy;

import dev.teec.enclave.protocol.transport.Connection;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A TLS client over any pair of blocking byte streams (a TCP socket, or the vsock egress channel),
 * driven by an {@link SSLEngine}: this is what lets the proxy validate upstream servers itself
 * whatever carries the bytes. The engine checks the certificate chain against the context's trust
 * managers and the host name against the certificate ({@code HTTPS} endpoint identification). One
 * thread reads and writes at a time; {@link #close()} may come from any thread.
 */
final class EngineTls implements Closeable {

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SSLEngine engine;
  private final InputStream rawIn;
  private final OutputStream rawOut;
  private final Closeable raw;
  // Both buffers are kept in read mode: the bytes between position and limit are pending.
  private ByteBuffer netIn;
  private ByteBuffer appIn;
  private ByteBuffer netOut;
  private boolean inboundDone;

  private final InputStream input =
      new SingleByteViaArray() {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return EngineTls.this.read(b, off, len);
        }
      };

  private final OutputStream output =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          EngineTls.this.write(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void flush() throws IOException {
          rawOut.flush();
        }
      };

  private EngineTls(SSLEngine engine, Connection connection) {
    this.engine = engine;
    this.rawIn = connection.input();
    this.rawOut = connection.output();
    this.raw = connection;
    int packet = engine.getSession().getPacketBufferSize();
    this.netIn = ByteBuffer.allocate(packet).flip();
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
    this.netOut = ByteBuffer.allocate(packet);
  }

  /**
   * Runs a client handshake for {@code host:port} over {@code connection}: SNI (for names), ALPN
   * offering only http/1.1, chain and host-name verification.
   *
   * @throws SSLException when the handshake fails (untrusted chain, name mismatch, ...)
   */
  static EngineTls connect(SSLContext context, String host, int port, Connection connection)
      throws IOException {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setApplicationProtocols(new String[] {"http/1.1"});
    if (!Hosts.isIpLiteral(host)) {
      try {
        parameters.setServerNames(List.of(new SNIHostName(host)));
      } catch (IllegalArgumentException e) {
        // Not a valid SNI name (such as one with '_'): connect without SNI, verification still
        // applies.
        parameters.setServerNames(List.of());
      }
    }
    engine.setSSLParameters(parameters);
    EngineTls tls = new EngineTls(engine, connection);
    tls.handshake();
    return tls;
  }

  InputStream input() {
    return input;
  }

  OutputStream output() {
    return output;
  }

  private void handshake() throws IOException {
    engine.beginHandshake();
    while (true) {
      HandshakeStatus status = engine.getHandshakeStatus();
      switch (status) {
        case NEED_WRAP -> wrap(EMPTY);
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          SSLEngineResult r = unwrap();
          if (r == null || r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("upstream closed the connection during the TLS handshake");
          }
        }
        case NEED_TASK -> runTasks();
        default -> {
          return;
        }
      }
    }
  }

  private int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!appIn.hasRemaining()) {
      if (inboundDone) {
        return -1;
      }
      SSLEngineResult r = unwrap();
      if (r == null || r.getStatus() == SSLEngineResult.Status.CLOSED) {
        // A missing close_notify is accepted: HTTP framing detects truncated bodies, and many
        // servers close without it.
        inboundDone = true;
        continue;
      }
      afterOperation(r.getHandshakeStatus());
    }
    int n = Math.min(len, appIn.remaining());
    appIn.get(b, off, n);
    return n;
  }

  private void write(ByteBuffer source) throws IOException {
    while (source.hasRemaining()) {
      SSLEngineResult r = wrap(source);
      if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
        throw new SSLException("TLS connection to upstream already closed");
      }
      afterOperation(r.getHandshakeStatus());
    }
  }

  // Post-handshake messages (TLS 1.3 KeyUpdate, a TLS 1.2 renegotiation) may need a reply.
  private void afterOperation(HandshakeStatus status) throws IOException {
    if (status == HandshakeStatus.NEED_TASK) {
      runTasks();
      status = engine.getHandshakeStatus();
    }
    if (status == HandshakeStatus.NEED_WRAP) {
      handshake();
    }
  }

  /** One unwrap that consumed a record; null when the raw stream ended first. */
  private SSLEngineResult unwrap() throws IOException {
    while (true) {
      SSLEngineResult r;
      appIn.compact();
      try {
        r = engine.unwrap(netIn, appIn);
      } finally {
        appIn.flip();
      }
      switch (r.getStatus()) {
        case OK, CLOSED -> {
          if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
          }
          return r;
        }
        case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
        case BUFFER_UNDERFLOW -> {
          if (!fill()) {
            return null;
          }
        }
        default -> throw new SSLException("unexpected TLS engine status " + r.getStatus());
      }
    }
  }

  private boolean fill() throws IOException {
    int packet = engine.getSession().getPacketBufferSize();
    if (netIn.capacity() - netIn.remaining() < packet / 4 || netIn.capacity() < packet) {
      netIn = grow(netIn, packet);
    }
    netIn.compact();
    try {
      int n = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
      if (n < 0) {
        return false;
      }
      netIn.position(netIn.position() + n);
      return true;
    } finally {
      netIn.flip();
    }
  }

  private SSLEngineResult wrap(ByteBuffer source) throws IOException {
    while (true) {
      netOut.clear();
      SSLEngineResult r = engine.wrap(source, netOut);
      if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        netOut = ByteBuffer.allocate(netOut.capacity() * 2);
        continue;
      }
      netOut.flip();
      if (netOut.hasRemaining()) {
        rawOut.write(netOut.array(), netOut.arrayOffset() + netOut.position(), netOut.remaining());
        // During the handshake the peer waits for these bytes; afterwards HTTP flushes explicitly.
        if (r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
          rawOut.flush();
        }
      }
      if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
        runTasks();
      }
      return r;
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  // A new buffer (read mode) holding the pending bytes of the old one, with room for at least
  // `room` more.
  private static ByteBuffer grow(ByteBuffer buffer, int room) {
    ByteBuffer bigger =
        ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.remaining() + room));
    bigger.put(buffer);
    return bigger.flip();
  }

  /** Sends close_notify if possible, then closes the underlying connection. */
  @Override
  public void close() throws IOException {
    try {
      engine.closeOutbound();
      wrap(EMPTY);
      rawOut.flush();
    } catch (IOException | RuntimeException e) {
      // The connection is going away anyway; close_notify is a courtesy.
    } finally {
      raw.close();
    }
  }
}
