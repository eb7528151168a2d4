package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * A Unix domain socket at a path, for local mode. The socket file is readable and writable by its
 * owner only (0600) from the moment it appears at the path, and {@link Acceptor#close()} removes
 * it.
 */
public final class UnixSocketTransport implements Transport {

  private static final int BACKLOG = 16;

  private final Path path;

  /**
   * @param path where the socket file is (or will be); at most about 100 bytes long (sun_path)
   */
  public UnixSocketTransport(Path path) {
    this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
  }

  /** The socket file's absolute path. */
  public Path path() {
    return path;
  }

  @Override
  public Connection connect() throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(path));
      return new ChannelConnection(channel, toString());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw new IOException("cannot connect to " + this + ": " + e.getMessage(), e);
    }
  }

  /**
   * Binds in a fresh private directory (0700) next to the path, restricts the socket file to 0600,
   * then hard-links it to the path. Java cannot set the umask, so binding at the path directly
   * would expose the socket with default permissions for a moment; and link(2), unlike rename,
   * refuses to replace an existing file.
   *
   * @throws FileAlreadyExistsException if something exists at the path (a stale socket: remove it)
   */
  @Override
  public Acceptor listen() throws IOException {
    Path parent = path.getParent();
    Path privateDir =
        Files.createTempDirectory(
            parent,
            ".teec-sock-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path staging = privateDir.resolve("s");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(staging), BACKLOG);
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-------"));
      try {
        Files.createLink(path, staging);
      } catch (FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(
            path.toString(),
            null,
            "a file already exists there; if it is a stale socket of a stopped worker, remove it");
      }
    } catch (IOException | RuntimeException e) {
      server.close();
      Files.deleteIfExists(staging);
      Files.deleteIfExists(privateDir);
      throw e;
    }
    Files.delete(staging);
    Files.delete(privateDir);
    Object fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    UnixSocketTransport endpoint = this;
    return new Acceptor() {
      @Override
      public Connection accept() throws IOException {
        SocketChannel channel = server.accept();
        return new ChannelConnection(channel, endpoint + " (accepted)");
      }

      @Override
      public Transport endpoint() {
        return endpoint;
      }

      @Override
      public void close() throws IOException {
        if (!server.isOpen()) {
          return;
        }
        server.close();
        // Remove the file only if it is still ours: another listener may have replaced it.
        try {
          if (Objects.equals(
              Files.readAttributes(path, BasicFileAttributes.class).fileKey(), fileKey)) {
            Files.deleteIfExists(path);
          }
        } catch (NoSuchFileException e) {
          // Already removed by someone else: nothing to clean up.
        }
      }
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UnixSocketTransport t && t.path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return "unix:" + path;
  }
}
