package dev.teec.enclave.protocol.transport;

import com.sun.jna.LastErrorException;
import java.io.IOException;

/**
 * AF_VSOCK stream sockets, the only channel between a Nitro Enclave and its parent instance. Java
 * has no vsock support, so this calls libc through JNA (Linux, 64-bit only). Addresses are a
 * context id (CID) and a port, both unsigned 32-bit.
 *
 * <p>In Nitro, the parent instance is always CID {@value #CID_NITRO_PARENT} as seen from the
 * enclave, not the generic {@link #CID_HOST} (2) of other hypervisors; the first enclave gets CID
 * 16 by default (AWS Nitro Enclaves User Guide, "Connect the parent instance with an enclave by
 * using virtio-vsock").
 */
public final class VsockTransport implements Transport {

  /** Bind to any local CID ({@code VMADDR_CID_ANY}). */
  public static final long CID_ANY = 0xFFFF_FFFFL;

  /** {@code VMADDR_CID_HYPERVISOR}. */
  public static final long CID_HYPERVISOR = 0;

  /** {@code VMADDR_CID_LOCAL}: this machine, through the vsock loopback transport. */
  public static final long CID_LOCAL = 1;

  /** {@code VMADDR_CID_HOST}: the host of an ordinary VM (not the Nitro parent, see above). */
  public static final long CID_HOST = 2;

  /** The Nitro parent instance, as seen from inside an enclave. */
  public static final long CID_NITRO_PARENT = 3;

  /** Let the kernel choose a port when listening ({@code VMADDR_PORT_ANY}). */
  public static final long PORT_ANY = 0xFFFF_FFFFL;

  private static final long MAX_U32 = 0xFFFF_FFFFL;
  private static final int BACKLOG = 64;

  /** How long accept() sleeps in poll() between checks for close(); close(2) does not wake it. */
  private static final int ACCEPT_POLL_MILLIS = 100;

  private final long cid;
  private final long port;
  private final VsockLibc libc;

  /**
   * @param cid the peer's CID to connect to, or the local CID (usually {@link #CID_ANY}) to listen
   *     on
   * @param port the port, 0..2^32-1 ({@link #PORT_ANY} when listening lets the kernel choose)
   */
  public VsockTransport(long cid, long port) {
    this(cid, port, NativeLibc.load());
  }

  VsockTransport(long cid, long port, VsockLibc libc) {
    if (cid < 0 || cid > MAX_U32) {
      throw new IllegalArgumentException("vsock CID must be in 0..4294967295, got " + cid);
    }
    if (port < 0 || port > MAX_U32) {
      throw new IllegalArgumentException("vsock port must be in 0..4294967295, got " + port);
    }
    this.cid = cid;
    this.port = port;
    this.libc = libc;
  }

  /** The CID. */
  public long cid() {
    return cid;
  }

  /** The port. */
  public long port() {
    return port;
  }

  @Override
  public Connection connect() throws IOException {
    int fd = socket();
    try {
      byte[] address = Vsock.sockaddr(cid, port);
      libc.connect(fd, address, address.length);
      return new VsockConnection(libc, fd, toString());
    } catch (LastErrorException e) {
      closeQuietly(fd);
      throw Vsock.failure("connect(" + this + ")", e);
    }
  }

  @Override
  public Acceptor listen() throws IOException {
    int fd = socket();
    long boundPort;
    try {
      byte[] address = Vsock.sockaddr(cid, port);
      libc.bind(fd, address, address.length);
      libc.listen(fd, BACKLOG);
      byte[] bound = new byte[Vsock.SOCKADDR_VM_BYTES];
      libc.getsockname(fd, bound, new int[] {bound.length});
      boundPort = Vsock.cidAndPort(bound)[1];
    } catch (LastErrorException e) {
      closeQuietly(fd);
      throw Vsock.failure("listen(" + this + ")", e);
    }
    // A listener on "any" CID is reached locally through the loopback CID.
    VsockTransport endpoint = new VsockTransport(cid == CID_ANY ? CID_LOCAL : cid, boundPort, libc);
    VsockFd listening = new VsockFd(libc, fd);
    return new Acceptor() {
      @Override
      public Connection accept() throws IOException {
        while (true) {
          int descriptor = listening.begin();
          try {
            byte[] pollfd = Vsock.pollIn(descriptor);
            int ready = libc.poll(pollfd, 1, ACCEPT_POLL_MILLIS);
            if (ready > 0 && (Vsock.revents(pollfd) & Vsock.POLLIN) != 0 && !listening.isClosed()) {
              byte[] peer = new byte[Vsock.SOCKADDR_VM_BYTES];
              int client =
                  libc.accept4(descriptor, peer, new int[] {peer.length}, Vsock.SOCK_CLOEXEC);
              long[] peerAddress = Vsock.cidAndPort(peer);
              return new VsockConnection(
                  libc, client, "vsock:" + peerAddress[0] + ":" + peerAddress[1]);
            }
          } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno != Vsock.EINTR && errno != Vsock.EAGAIN) {
              throw Vsock.failure("accept(" + endpoint + ")", e);
            }
          } finally {
            listening.end();
          }
        }
      }

      @Override
      public Transport endpoint() {
        return endpoint;
      }

      @Override
      public void close() {
        listening.close();
      }
    };
  }

  private int socket() throws IOException {
    try {
      return libc.socket(Vsock.AF_VSOCK, Vsock.SOCK_STREAM | Vsock.SOCK_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw Vsock.failure("socket(AF_VSOCK)", e);
    }
  }

  private void closeQuietly(int fd) {
    try {
      libc.close(fd);
    } catch (LastErrorException e) {
      // Already failing; the original error is the one to report.
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VsockTransport t && t.cid == cid && t.port == port;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(cid) * 31 + Long.hashCode(port);
  }

  @Override
  public String toString() {
    return "vsock:" + cid + ":" + port;
  }
}
