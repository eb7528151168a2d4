package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A {@link Connection} whose unbuffered streams call straight into {@link #receive} and {@link
 * #sendAll}; closing either stream closes the connection.
 */
abstract class RawConnection extends AbstractConnection {

  private final InputStream input =
      new InputStream() {
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
          return receive(b, off, len);
        }

        @Override
        public void close() throws IOException {
          RawConnection.this.close();
        }
      };
  private final OutputStream output =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          Objects.checkFromIndexSize(off, len, b.length);
          sendAll(b, off, len);
        }

        @Override
        public void close() throws IOException {
          RawConnection.this.close();
        }
      };

  RawConnection(String peer) {
    super(peer);
  }

  /**
   * Reads at least one and at most {@code len} bytes into {@code b[off..]}, blocking until some
   * arrive; -1 at end of stream. The range is already checked and {@code len} is positive.
   */
  abstract int receive(byte[] b, int off, int len) throws IOException;

  /** Writes all of {@code b[off..off+len)}. The range is already checked; {@code len} may be 0. */
  abstract void sendAll(byte[] b, int off, int len) throws IOException;

  @Override
  public final InputStream input() {
    return input;
  }

  @Override
  public final OutputStream output() {
    return output;
  }
}
