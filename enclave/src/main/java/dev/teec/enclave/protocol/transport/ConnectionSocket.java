package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.util.Objects;

/**
 * A {@link Connection} dressed as a connected {@link Socket}, for APIs that insist on one: chiefly
 * {@code SSLSocketFactory.createSocket(Socket, host, port, autoClose)}, which is how the worker's
 * proxy runs TLS end to end with an upstream host through the egress channel (the host relaying the
 * bytes sees only ciphertext).
 *
 * <p>Only the stream, shutdown and close methods do real work. Socket options are accepted and
 * remembered but have no effect, including {@link #setSoTimeout}: reads block until data, end of
 * stream, or {@link #close()}. It has no IP addresses: {@link #getInetAddress()} and {@link
 * #getRemoteSocketAddress()} return null, ports are 0. Binding or connecting again fails.
 */
public final class ConnectionSocket extends Socket {

  private final Connection connection;
  private volatile boolean closed;
  private volatile boolean inputShutdown;
  private volatile boolean outputShutdown;
  private volatile int soTimeout;
  private volatile boolean tcpNoDelay = true;
  private volatile boolean keepAlive;
  private volatile int linger = -1;
  private volatile int sendBufferSize = 64 * 1024;
  private volatile int receiveBufferSize = 64 * 1024;

  /** Wraps {@code connection}; closing the socket closes it. */
  public ConnectionSocket(Connection connection) throws SocketException {
    // No SocketImpl: every method that would reach one is overridden below.
    super((SocketImpl) null);
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  @Override
  public InputStream getInputStream() throws IOException {
    requireOpen();
    return connection.input();
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    requireOpen();
    return connection.output();
  }

  @Override
  public void shutdownOutput() throws IOException {
    requireOpen();
    connection.shutdownOutput();
    outputShutdown = true;
  }

  /** Marks input as shut down; the underlying connection has no read-side shutdown. */
  @Override
  public void shutdownInput() throws IOException {
    requireOpen();
    inputShutdown = true;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    connection.close();
  }

  @Override
  public boolean isConnected() {
    return true;
  }

  @Override
  public boolean isBound() {
    return true;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean isInputShutdown() {
    return inputShutdown;
  }

  @Override
  public boolean isOutputShutdown() {
    return outputShutdown;
  }

  @Override
  public void connect(SocketAddress endpoint) throws IOException {
    throw new SocketException("already connected to " + connection.peer());
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    throw new SocketException("already connected to " + connection.peer());
  }

  @Override
  public void bind(SocketAddress bindpoint) throws IOException {
    throw new SocketException("already bound");
  }

  @Override
  public InetAddress getInetAddress() {
    return null;
  }

  @Override
  public InetAddress getLocalAddress() {
    return null;
  }

  @Override
  public int getPort() {
    return 0;
  }

  @Override
  public int getLocalPort() {
    return 0;
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return null;
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return null;
  }

  @Override
  public synchronized void setSoTimeout(int timeout) throws SocketException {
    if (timeout < 0) {
      throw new IllegalArgumentException("timeout must not be negative");
    }
    soTimeout = timeout;
  }

  @Override
  public synchronized int getSoTimeout() {
    return soTimeout;
  }

  @Override
  public void setTcpNoDelay(boolean on) {
    tcpNoDelay = on;
  }

  @Override
  public boolean getTcpNoDelay() {
    return tcpNoDelay;
  }

  @Override
  public void setKeepAlive(boolean on) {
    keepAlive = on;
  }

  @Override
  public boolean getKeepAlive() {
    return keepAlive;
  }

  @Override
  public void setSoLinger(boolean on, int seconds) {
    linger = on ? seconds : -1;
  }

  @Override
  public int getSoLinger() {
    return linger;
  }

  @Override
  public synchronized void setSendBufferSize(int size) {
    sendBufferSize = size;
  }

  @Override
  public synchronized int getSendBufferSize() {
    return sendBufferSize;
  }

  @Override
  public synchronized void setReceiveBufferSize(int size) {
    receiveBufferSize = size;
  }

  @Override
  public synchronized int getReceiveBufferSize() {
    return receiveBufferSize;
  }

  @Override
  public String toString() {
    return "ConnectionSocket[" + connection.peer() + "]";
  }

  private void requireOpen() throws SocketException {
    if (closed) {
      throw new SocketException("socket is closed");
    }
  }
}
