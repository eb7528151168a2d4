package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A {@link Connection} over a blocking {@link SocketChannel} (Unix domain sockets).
 *
 * <p>The streams call the channel directly instead of using {@code Channels.newInputStream}: in
 * Java 17 those streams lock the channel's blocking lock for every operation, so a thread blocked
 * reading would stop every writer, and a relay in both directions would deadlock.
 */
final class ChannelConnection extends RawConnection {

  private final SocketChannel channel;

  ChannelConnection(SocketChannel channel, String peer) {
    super(peer);
    this.channel = channel;
  }

  @Override
  int receive(byte[] b, int off, int len) throws IOException {
    return channel.read(ByteBuffer.wrap(b, off, len));
  }

  @Override
  void sendAll(byte[] b, int off, int len) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  @Override
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
