package dev.teec.enclave.protocol.transport;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A scripted libc: records every call, fails on request, serves queued data and connections. */
final class FakeLibc implements VsockLibc {

  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<byte[]> addresses = Collections.synchronizedList(new ArrayList<>());
  final Map<String, Deque<Integer>> failures = new HashMap<>();
  final Deque<byte[]> incoming = new ArrayDeque<>();
  final java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
  final Deque<Integer> pendingAccepts = new ArrayDeque<>();

  /** When set, recv blocks until shutdown is called and then returns 0, like a woken socket. */
  volatile CountDownLatch blockRecvUntilShutdown;

  final CountDownLatch recvEntered = new CountDownLatch(1);
  int maxSendPerCall = Integer.MAX_VALUE;
  int boundPort = 1234;
  private int nextFd = 10;

  /** The next calls of {@code function} fail with these errnos, in order. */
  synchronized FakeLibc failWith(String function, Integer... errnos) {
    failures.computeIfAbsent(function, f -> new ArrayDeque<>()).addAll(List.of(errnos));
    return this;
  }

  private void maybeFail(String function) {
    Integer errno;
    synchronized (this) {
      Deque<Integer> queue = failures.get(function);
      errno = queue == null ? null : queue.poll();
    }
    if (errno != null) {
      throw new LastErrorException(errno);
    }
  }

  @Override
  public int socket(int domain, int type, int protocol) {
    calls.add("socket(" + domain + "," + type + "," + protocol + ")");
    maybeFail("socket");
    synchronized (this) {
      return nextFd++;
    }
  }

  @Override
  public int connect(int fd, byte[] address, int addressLength) {
    calls.add("connect(" + fd + "," + addressLength + ")");
    addresses.add(address.clone());
    maybeFail("connect");
    return 0;
  }

  @Override
  public int bind(int fd, byte[] address, int addressLength) {
    calls.add("bind(" + fd + "," + addressLength + ")");
    addresses.add(address.clone());
    maybeFail("bind");
    return 0;
  }

  @Override
  public int listen(int fd, int backlog) {
    calls.add("listen(" + fd + "," + backlog + ")");
    maybeFail("listen");
    return 0;
  }

  @Override
  public int getsockname(int fd, byte[] address, int[] addressLength) {
    calls.add("getsockname(" + fd + ")");
    byte[] bound = Vsock.sockaddr(VsockTransport.CID_ANY, boundPort);
    System.arraycopy(bound, 0, address, 0, bound.length);
    addressLength[0] = bound.length;
    return 0;
  }

  @Override
  public int accept4(int fd, byte[] address, int[] addressLength, int flags) {
    calls.add("accept4(" + fd + "," + flags + ")");
    maybeFail("accept4");
    int client;
    synchronized (this) {
      client = pendingAccepts.remove();
    }
    byte[] peer = Vsock.sockaddr(16, 5000 + client);
    System.arraycopy(peer, 0, address, 0, peer.length);
    return client;
  }

  @Override
  public long recv(int fd, byte[] buffer, long length, int flags) {
    calls.add("recv(" + fd + "," + length + "," + flags + ")");
    recvEntered.countDown();
    maybeFail("recv");
    CountDownLatch block = blockRecvUntilShutdown;
    if (block != null) {
      try {
        block.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      calls.add("recv-returns(" + fd + ")");
      return 0;
    }
    synchronized (this) {
      byte[] next = incoming.poll();
      if (next == null) {
        return 0;
      }
      int n = (int) Math.min(length, next.length);
      System.arraycopy(next, 0, buffer, 0, n);
      if (n < next.length) {
        incoming.push(java.util.Arrays.copyOfRange(next, n, next.length));
      }
      return n;
    }
  }

  @Override
  public long send(int fd, byte[] buffer, long length, int flags) {
    calls.add("send(" + fd + "," + length + "," + flags + ")");
    maybeFail("send");
    int n = (int) Math.min(length, maxSendPerCall);
    synchronized (this) {
      sent.write(buffer, 0, n);
    }
    return n;
  }

  @Override
  public int poll(byte[] fds, long count, int timeoutMillis) {
    maybeFail("poll");
    boolean ready;
    synchronized (this) {
      ready = !pendingAccepts.isEmpty();
    }
    if (!ready) {
      try {
        Thread.sleep(Math.min(timeoutMillis, 5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
    ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder()).putShort(6, (short) 1);
    return 1;
  }

  @Override
  public int shutdown(int fd, int how) {
    calls.add("shutdown(" + fd + "," + how + ")");
    CountDownLatch block = blockRecvUntilShutdown;
    if (block != null && how == Vsock.SHUT_RDWR) {
      block.countDown();
    }
    return 0;
  }

  @Override
  public int close(int fd) {
    calls.add("close(" + fd + ")");
    return 0;
  }

  List<String> callsStartingWith(String prefix) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.startsWith(prefix)).toList();
    }
  }
}
