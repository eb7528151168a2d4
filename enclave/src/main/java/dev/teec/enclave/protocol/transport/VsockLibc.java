package dev.teec.enclave.protocol.transport;

import com.sun.jna.LastErrorException;

/**
 * The libc functions vsock needs, as JNA binds them on 64-bit Linux ({@code long} for size_t,
 * ssize_t and nfds_t). Every function throws {@link LastErrorException} carrying errno when it
 * returns -1. An interface of its own so tests can substitute a fake: these machines have no Nitro.
 */
interface VsockLibc {

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int connect(int fd, byte[] address, int addressLength) throws LastErrorException;

  int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

  int listen(int fd, int backlog) throws LastErrorException;

  int getsockname(int fd, byte[] address, int[] addressLength) throws LastErrorException;

  int accept4(int fd, byte[] address, int[] addressLength, int flags) throws LastErrorException;

  long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

  long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

  /** {@code fds} holds native {@code struct pollfd}s: int fd, short events, short revents. */
  int poll(byte[] fds, long count, int timeoutMillis) throws LastErrorException;

  int shutdown(int fd, int how) throws LastErrorException;

  int close(int fd) throws LastErrorException;
}
