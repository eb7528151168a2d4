package dev.teec.enclave.proxy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A buffered input stream that can also read HTTP lines (terminated by CRLF, or a bare LF as RFC
 * 9112 §2.2 allows recipients to accept), each at most a given length. Not thread-safe.
 */
final class HttpInput extends InputStream {

  private final InputStream in;
  private final byte[] buffer = new byte[16 * 1024];
  private int position;
  private int limit;

  HttpInput(InputStream in) {
    this.in = in;
  }

  /**
   * Reads one line without its terminator, decoded as ISO-8859-1.
   *
   * @return the line, or null if the stream ended before any byte of it
   * @throws HttpException (431 style limit, status given) if the line exceeds {@code maxLength},
   *     contains a NUL or bare CR, or the stream ends inside it
   */
  String readLine(int maxLength, int statusOnError) throws IOException {
    StringBuilder line = new StringBuilder();
    boolean any = false;
    while (true) {
      if (position == limit && !fill()) {
        if (!any) {
          return null;
        }
        throw new HttpException(statusOnError, "connection closed in the middle of a line");
      }
      any = true;
      byte b = buffer[position++];
      if (b == '\n') {
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
          line.setLength(n - 1);
        }
        if (line.indexOf("\r") >= 0) {
          throw new HttpException(statusOnError, "bare CR in a header line");
        }
        return line.toString();
      }
      if (b == 0) {
        throw new HttpException(statusOnError, "NUL byte in a header line");
      }
      if (line.length() >= maxLength) {
        throw new HttpException(statusOnError, "header line longer than " + maxLength + " bytes");
      }
      line.append((char) (b & 0xff));
    }
  }

  /**
   * The bytes read from the underlying stream but not consumed yet; they are consumed by this call.
   */
  InputStream takeBuffered() {
    InputStream rest = new ByteArrayInputStream(buffer, position, limit - position);
    position = limit;
    return rest;
  }

  @Override
  public int read() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position == limit) {
      // Large reads bypass the buffer: bodies are copied straight through.
      if (len >= buffer.length) {
        return in.read(b, off, len);
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, limit - position);
    System.arraycopy(buffer, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return limit - position;
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
