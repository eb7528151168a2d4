package dev.teec.enclave.protocol.transport;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.util.Arrays;

/** A {@link Connection} over a connected vsock stream socket. */
final class VsockConnection extends RawConnection {

  /** Largest single recv; bounds the scratch copy JNA needs for array slices. */
  private static final int MAX_IO = 64 * 1024;

  /**
   * Largest single send. Linux (since the 6.17 vsock changes, also in distribution kernels that
   * took them) puts a send larger than about 32 KiB into one packet spread over several virtqueue
   * descriptors; vhost-user backends that expect one descriptor per packet (vhost-device-vsock
   * 0.3.0, seen under QEMU's nitro-enclave machine) drop such packets without a word. Sends of at
   * most 16 KiB are single-descriptor packets everywhere, at no measurable cost.
   */
  static final int MAX_SEND = 16 * 1024;

  private final VsockLibc libc;
  private final VsockFd fd;

  VsockConnection(VsockLibc libc, int fd, String peer) {
    super(peer);
    this.libc = libc;
    this.fd = new VsockFd(libc, fd);
  }

  @Override
  int receive(byte[] b, int off, int len) throws IOException {
    int want = Math.min(len, MAX_IO);
    byte[] target = off == 0 ? b : new byte[want];
    int descriptor = fd.begin();
    try {
      while (true) {
        try {
          long n = libc.recv(descriptor, target, want, 0);
          if (n == 0) {
            return -1;
          }
          if (target != b) {
            System.arraycopy(target, 0, b, off, (int) n);
          }
          return (int) n;
        } catch (LastErrorException e) {
          if (e.getErrorCode() != Vsock.EINTR) {
            throw Vsock.failure("recv(" + peer() + ")", e);
          }
        }
      }
    } finally {
      fd.end();
    }
  }

  @Override
  void sendAll(byte[] b, int off, int len) throws IOException {
    int descriptor = fd.begin();
    try {
      int done = 0;
      while (done < len) {
        int n = Math.min(len - done, MAX_SEND);
        byte[] slice =
            off + done == 0 && n == b.length
                ? b
                : Arrays.copyOfRange(b, off + done, off + done + n);
        try {
          done += (int) libc.send(descriptor, slice, n, Vsock.MSG_NOSIGNAL);
        } catch (LastErrorException e) {
          if (e.getErrorCode() != Vsock.EINTR) {
            throw Vsock.failure("send(" + peer() + ")", e);
          }
        }
      }
    } finally {
      fd.end();
    }
  }

  @Override
  public void shutdownOutput() throws IOException {
    int descriptor = fd.begin();
    try {
      libc.shutdown(descriptor, Vsock.SHUT_WR);
    } catch (LastErrorException e) {
      throw Vsock.failure("shutdown(" + peer() + ")", e);
    } finally {
      fd.end();
    }
  }

  @Override
  public void close() {
    fd.close();
  }
}
