package dev.teec.enclave.runner;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bridge between the build's network namespace and the recording proxy (Linux only).
 *
 * <p>A short-lived thread enters the namespace with {@code setns(2)}, brings its loopback interface
 * up and binds a listening socket on 127.0.0.1:&lt;proxy port&gt; there; a socket keeps the
 * namespace it was created in, so after the thread returns to the JVM's namespace the runner can
 * accept connections from inside the build and relay each one to the proxy over an ordinary host
 * socket. Nothing else is reachable from the namespace.
 */
final class NetnsForwarder implements AutoCloseable {
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY_CLOEXEC = 0x80000;
  private static final int AF_INET = 2;
  private static final int SOCK_DGRAM = 2;
  private static final long SIOCGIFFLAGS = 0x8913;
  private static final long SIOCSIFFLAGS = 0x8914;
  private static final short IFF_UP = 0x1;
  private static final int IFREQ_SIZE = 40;
  private static final int IFREQ_FLAGS_OFFSET = 16;
  private static final int MAX_CONNECTIONS = 256;

  /** The few libc calls Java does not offer. */
  interface LibC extends Library {
    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;
  }

  private final ServerSocketChannel listener;
  private final InetSocketAddress proxy;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private NetnsForwarder(ServerSocketChannel listener, InetSocketAddress proxy) {
    this.listener = listener;
    this.proxy = proxy;
    this.acceptor = new Thread(this::acceptLoop, "teec-netns-accept");
    this.acceptor.setDaemon(true);
  }

  /**
   * Brings loopback up in the network namespace of {@code pid} and, when a proxy is given, starts
   * forwarding 127.0.0.1:&lt;proxy port&gt; inside it to the proxy.
   *
   * @return the forwarder, or empty when there is no proxy
   */
  static Optional<NetnsForwarder> open(long pid, Optional<InetSocketAddress> proxy)
      throws IOException {
    LibC libc = Native.load("c", LibC.class);
    AtomicReference<Object> result = new AtomicReference<>();
    // setns changes only the calling thread; a dedicated thread that ends afterwards keeps the
    // JVM's other threads (and any pooled thread) in the host namespace whatever happens
    Thread t =
        new Thread(
            () -> {
              try {
                result.set(insideNamespace(libc, pid, proxy));
              } catch (Throwable e) {
                result.set(e);
              }
            },
            "teec-netns-setup");
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while setting up the build's network namespace", e);
    }
    Object r = result.get();
    if (r instanceof Throwable e) {
      throw new IOException("cannot set up the build's network namespace: " + e.getMessage(), e);
    }
    if (r == null) {
      return Optional.empty();
    }
    NetnsForwarder f = new NetnsForwarder((ServerSocketChannel) r, proxy.orElseThrow());
    f.acceptor.start();
    return Optional.of(f);
  }

  private static ServerSocketChannel insideNamespace(
      LibC libc, long pid, Optional<InetSocketAddress> proxy) throws IOException {
    int home = libc.open("/proc/thread-self/ns/net", O_RDONLY_CLOEXEC);
    try {
      int target = libc.open("/proc/" + pid + "/ns/net", O_RDONLY_CLOEXEC);
      try {
        libc.setns(target, CLONE_NEWNET);
      } finally {
        libc.close(target);
      }
      try {
        loopbackUp(libc);
        if (proxy.isEmpty()) {
          return null;
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.INET);
        try {
          ch.bind(
              new InetSocketAddress(
                  InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), proxy.get().getPort()),
              64);
        } catch (IOException e) {
          ch.close();
          throw e;
        }
        return ch;
      } finally {
        libc.setns(home, CLONE_NEWNET);
      }
    } finally {
      libc.close(home);
    }
  }

  private static void loopbackUp(LibC libc) {
    int fd = libc.socket(AF_INET, SOCK_DGRAM, 0);
    try {
      Memory ifreq = new Memory(IFREQ_SIZE);
      ifreq.clear();
      ifreq.setString(0, "lo", "US-ASCII");
      libc.ioctl(fd, new NativeLong(SIOCGIFFLAGS), ifreq);
      short flags = ifreq.getShort(IFREQ_FLAGS_OFFSET);
      ifreq.setShort(IFREQ_FLAGS_OFFSET, (short) (flags | IFF_UP));
      libc.ioctl(fd, new NativeLong(SIOCSIFFLAGS), ifreq);
    } finally {
      libc.close(fd);
    }
  }

  private void acceptLoop() {
    while (listener.isOpen()) {
      SocketChannel inside;
      try {
        inside = listener.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        continue;
      }
      if (open.size() >= 2 * MAX_CONNECTIONS) {
        closeQuietly(inside);
        continue;
      }
      SocketChannel upstream;
      try {
        upstream = SocketChannel.open(proxy);
      } catch (IOException e) {
        closeQuietly(inside);
        continue;
      }
      open.add(inside);
      open.add(upstream);
      AtomicInteger finished = new AtomicInteger();
      relay(inside, upstream, finished, "in");
      relay(upstream, inside, finished, "out");
    }
  }

  private void relay(
      SocketChannel from, SocketChannel to, AtomicInteger finished, String direction) {
    Thread t =
        new Thread(
            () -> {
              ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
              try {
                while (from.read(buf) >= 0) {
                  buf.flip();
                  while (buf.hasRemaining()) {
                    to.write(buf);
                  }
                  buf.clear();
                }
                // pass the half-close on: HTTP clients may wait for the response after it
                to.shutdownOutput();
              } catch (IOException e) {
                // either side went away; closing both ends the other direction too
                closeQuietly(from);
                closeQuietly(to);
              } finally {
                if (finished.incrementAndGet() == 2) {
                  closeQuietly(from);
                  closeQuietly(to);
                }
              }
            },
            "teec-netns-relay-" + direction);
    t.setDaemon(true);
    t.start();
  }

  private void closeQuietly(SocketChannel ch) {
    open.remove(ch);
    try {
      ch.close();
    } catch (IOException e) {
      // nothing more to release
    }
  }

  /** Stops accepting and closes every relayed connection. */
  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // the namespace is going away with the build anyway
    }
    for (SocketChannel ch : Set.copyOf(open)) {
      closeQuietly(ch);
    }
  }
}
