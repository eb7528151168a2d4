package dev.teec.enclave.protocol.transport;

import com.sun.jna.LastErrorException;
import java.net.SocketException;

/**
 * A vsock file descriptor shared by threads. The descriptor is closed only when no call is using
 * it: closing a descriptor another thread is blocked on would let the kernel hand its number to the
 * next {@code open}, and that thread would then read someone else's file. {@link #close()}
 * therefore shuts the socket down (waking blocked readers) and the last user closes the descriptor.
 */
final class VsockFd {

  private final VsockLibc libc;
  private final int fd;
  private final Object lock = new Object();
  private int inUse;
  private boolean closed;
  private boolean released;

  VsockFd(VsockLibc libc, int fd) {
    this.libc = libc;
    this.fd = fd;
  }

  /** Marks the start of a call; every {@code begin} must be paired with {@link #end()}. */
  int begin() throws SocketException {
    synchronized (lock) {
      if (closed) {
        throw new SocketException("vsock socket is closed");
      }
      inUse++;
      return fd;
    }
  }

  void end() {
    synchronized (lock) {
      inUse--;
      releaseIfUnused();
    }
  }

  boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  /** Idempotent. */
  void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        libc.shutdown(fd, Vsock.SHUT_RDWR);
      } catch (LastErrorException e) {
        // ENOTCONN for listening or never-connected sockets: nothing to wake up.
      }
      releaseIfUnused();
    }
  }

  private void releaseIfUnused() {
    if (closed && inUse == 0 && !released) {
      released = true;
      try {
        libc.close(fd);
      } catch (LastErrorException e) {
        // After close(2) the descriptor is gone whatever it returns; there is nothing to retry.
      }
    }
  }
}
