package dev.teec.enclave.protocol.transport;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Linux vsock constants (from linux/socket.h, linux/vm_sockets.h, asm-generic headers; identical on
 * x86_64 and aarch64, the two Nitro architectures), the {@code struct sockaddr_vm} layout, and
 * errno to exception mapping.
 */
final class Vsock {

  static final int AF_VSOCK = 40;
  static final int SOCK_STREAM = 1;

  /** So build processes forked by the worker never inherit the connection. */
  static final int SOCK_CLOEXEC = 0x80000;

  /** A write to a closed connection fails with EPIPE instead of raising SIGPIPE. */
  static final int MSG_NOSIGNAL = 0x4000;

  static final int SHUT_WR = 1;
  static final int SHUT_RDWR = 2;
  static final short POLLIN = 0x1;

  static final int EINTR = 4;
  static final int EAGAIN = 11;

  /**
   * {@code struct sockaddr_vm}: sa_family_t svm_family (u16), unsigned short svm_reserved1,
   * unsigned int svm_port, unsigned int svm_cid, then svm_flags (u8) and svm_zero[3], which must be
   * zero; 16 bytes in all, the size of {@code struct sockaddr}.
   */
  static final int SOCKADDR_VM_BYTES = 16;

  static final int POLLFD_BYTES = 8;

  private static final Map<Integer, String> ERRNO_NAMES =
      Map.ofEntries(
          Map.entry(1, "EPERM"),
          Map.entry(4, "EINTR"),
          Map.entry(9, "EBADF"),
          Map.entry(11, "EAGAIN"),
          Map.entry(12, "ENOMEM"),
          Map.entry(13, "EACCES"),
          Map.entry(19, "ENODEV"),
          Map.entry(22, "EINVAL"),
          Map.entry(24, "EMFILE"),
          Map.entry(32, "EPIPE"),
          Map.entry(95, "EOPNOTSUPP"),
          Map.entry(97, "EAFNOSUPPORT"),
          Map.entry(98, "EADDRINUSE"),
          Map.entry(99, "EADDRNOTAVAIL"),
          Map.entry(101, "ENETUNREACH"),
          Map.entry(104, "ECONNRESET"),
          Map.entry(107, "ENOTCONN"),
          Map.entry(110, "ETIMEDOUT"),
          Map.entry(111, "ECONNREFUSED"),
          Map.entry(113, "EHOSTUNREACH"));

  private Vsock() {}

  static byte[] sockaddr(long cid, long port) {
    return sockaddr(cid, port, ByteOrder.nativeOrder());
  }

  static byte[] sockaddr(long cid, long port, ByteOrder order) {
    return ByteBuffer.allocate(SOCKADDR_VM_BYTES)
        .order(order)
        .putShort((short) AF_VSOCK)
        .putShort((short) 0)
        .putInt((int) port)
        .putInt((int) cid)
        .array();
  }

  /** {@code {cid, port}} from a {@code struct sockaddr_vm}, as unsigned values. */
  static long[] cidAndPort(byte[] sockaddr) {
    ByteBuffer b = ByteBuffer.wrap(sockaddr).order(ByteOrder.nativeOrder());
    long port = Integer.toUnsignedLong(b.getInt(4));
    long cid = Integer.toUnsignedLong(b.getInt(8));
    return new long[] {cid, port};
  }

  static byte[] pollIn(int fd) {
    return ByteBuffer.allocate(POLLFD_BYTES)
        .order(ByteOrder.nativeOrder())
        .putInt(fd)
        .putShort(POLLIN)
        .putShort((short) 0)
        .array();
  }

  static short revents(byte[] pollfd) {
    return ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder()).getShort(6);
  }

  /** "connect(vsock:3:8001) failed: errno 111 (ECONNREFUSED)" as the closest standard exception. */
  static IOException failure(String operation, LastErrorException e) {
    int errno = e.getErrorCode();
    String message =
        operation + " failed: errno " + errno + " (" + ERRNO_NAMES.getOrDefault(errno, "?") + ")";
    IOException failure =
        errno == 111 || errno == 110 || errno == 113 || errno == 101
            ? new ConnectException(message)
            : errno == 97 || errno == 19
                ? new IOException(message + "; is this a vsock-capable (Nitro) host?")
                : new SocketException(message);
    failure.initCause(e);
    return failure;
  }
}
