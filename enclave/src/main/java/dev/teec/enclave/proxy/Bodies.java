package dev.teec.enclave.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Message body framing of HTTP/1.1 (RFC 9112 §6): decoding, encoding and how to tell which applies.
 */
final class Bodies {

  /** Body delimited by chunked transfer coding. */
  static final long CHUNKED = -1;

  /** Response body delimited by the connection closing. */
  static final long UNTIL_CLOSE = -2;

  private static final int MAX_CHUNK_LINE = 4096;
  private static final int MAX_TRAILER_LINES = 64;

  private Bodies() {}

  /**
   * The framing of a message: {@link #CHUNKED}, or the Content-Length (0 when neither field is
   * present, as for requests), rejecting the ambiguous combinations request smuggling relies on.
   */
  static long declaredLength(HttpHead head, int statusOnError) throws HttpException {
    List<String> te = head.values("Transfer-Encoding");
    List<String> cl = head.values("Content-Length");
    if (!te.isEmpty()) {
      if (!cl.isEmpty()) {
        throw new HttpException(statusOnError, "both Transfer-Encoding and Content-Length present");
      }
      if (te.size() != 1 || !te.get(0).equalsIgnoreCase("chunked")) {
        throw new HttpException(
            statusOnError == 400 ? 501 : statusOnError,
            "unsupported Transfer-Encoding "
                + Hosts.quote(String.join(", ", te))
                + " (only chunked)");
      }
      return CHUNKED;
    }
    if (cl.isEmpty()) {
      return 0;
    }
    String first = null;
    for (String v : cl) {
      for (String part : v.split(",", -1)) {
        String p = part.strip();
        if (first != null && !first.equals(p)) {
          throw new HttpException(statusOnError, "conflicting Content-Length values");
        }
        first = p;
      }
    }
    if (first.isEmpty()
        || first.length() > 18
        || !first.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new HttpException(statusOnError, "invalid Content-Length " + Hosts.quote(first));
    }
    return Long.parseLong(first);
  }

  /** Decodes a chunked body; trailer fields are read (bounded) and dropped. */
  static final class ChunkedInput extends SingleByteViaArray {
    private final HttpInput in;
    private final int statusOnError;
    private long remaining;
    private boolean done;

    ChunkedInput(HttpInput in, int statusOnError) {
      this.in = in;
      this.statusOnError = statusOnError;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (remaining == 0) {
        nextChunk();
        if (done) {
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException("connection closed inside a chunk");
      }
      remaining -= n;
      if (remaining == 0) {
        String end = in.readLine(MAX_CHUNK_LINE, statusOnError);
        if (end == null || !end.isEmpty()) {
          throw new HttpException(statusOnError, "chunk data not followed by CRLF");
        }
      }
      return n;
    }

    private void nextChunk() throws IOException {
      String line = in.readLine(MAX_CHUNK_LINE, statusOnError);
      if (line == null) {
        throw new EOFException("connection closed before the next chunk");
      }
      int semicolon = line.indexOf(';');
      String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
      if (hex.isEmpty()
          || hex.length() > 15
          || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new HttpException(statusOnError, "invalid chunk size " + Hosts.quote(line));
      }
      remaining = Long.parseLong(hex, 16);
      if (remaining == 0) {
        for (int i = 0; ; i++) {
          String trailer = in.readLine(HttpHead.MAX_LINE, statusOnError);
          if (trailer == null) {
            throw new EOFException("connection closed inside the chunked trailer");
          }
          if (trailer.isEmpty()) {
            break;
          }
          if (i == MAX_TRAILER_LINES) {
            throw new HttpException(
                statusOnError, "more than " + MAX_TRAILER_LINES + " trailer lines");
          }
        }
        done = true;
      }
    }
  }

  /** Exactly {@code length} bytes; the stream ending earlier is an error. */
  static final class FixedInput extends SingleByteViaArray {
    private final InputStream in;
    private final long length;
    private long remaining;

    FixedInput(InputStream in, long length) {
      this.in = in;
      this.length = length;
      this.remaining = length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException(
            "connection closed after " + (length - remaining) + " of " + length + " body bytes");
      }
      remaining -= n;
      return n;
    }
  }

  /**
   * Encodes each write as one chunk; {@link #finish()} writes the last chunk. Does not close the
   * target.
   */
  static final class ChunkedOutput extends OutputStream {
    private final OutputStream out;

    ChunkedOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return;
      }
      out.write(HttpInput.ascii(Integer.toHexString(len) + "\r\n"));
      out.write(b, off, len);
      out.write('\r');
      out.write('\n');
    }

    void finish() throws IOException {
      out.write(HttpInput.ascii("0\r\n\r\n"));
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
