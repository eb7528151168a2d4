package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A {@link Connection} over a blocking {@link SocketChannel} (Unix domain sockets).
 *
 * <p>The streams call the channel directly instead of using {@code Channels.newInputStream}: in
 * Java 17 those streams lock the channel's blocking lock for every operation, so a thread blocked
 * reading would stop every writer, and a relay in both directions would deadlock.
 */
final class ChannelConnection implements Connection {

    private final SocketChannel channel;
    private final String peer;
    private final InputStream input = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            return channel.read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void close() throws IOException {
            ChannelConnection.this.close();
        }
    };
    private final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        @Override
        public void close() throws IOException {
            ChannelConnection.this.close();
        }
    };

    ChannelConnection(SocketChannel channel, String peer) {
        this.channel = channel;
        this.peer = peer;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "Connection[" + peer + "]";
    }
}
