package dev.teec.builder.source;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code git cat-file --batch} process, asked for objects one at a time: the bytes of an object
 * exactly as git stores them (no filters, no end-of-line conversion), which is what a commit's ids
 * are computed over. git flushes after each object, so a request can wait for its answer.
 */
final class CatFile implements AutoCloseable {
  private static final int MAX_HEADER_BYTES = 256;

  private final Process process;
  private final OutputStream requests;
  private final InputStream answers;
  private final CompletableFuture<byte[]> errors;
  private final Path dir;

  CatFile(String executable, Path dir) throws SourceException {
    this.dir = dir;
    ProcessBuilder pb =
        new ProcessBuilder(executable, "cat-file", "--batch").directory(dir.toFile());
    pb.environment().put("GIT_OPTIONAL_LOCKS", "0");
    pb.environment().put("LC_ALL", "C");
    pb.redirectError(ProcessBuilder.Redirect.PIPE);
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new SourceException("git: cannot run " + executable + ": " + e.getMessage(), e);
    }
    requests = process.getOutputStream();
    answers = new BufferedInputStream(process.getInputStream(), 64 * 1024);
    InputStream err = process.getErrorStream();
    errors =
        CompletableFuture.supplyAsync(
            () -> {
              try (err) {
                return err.readAllBytes();
              } catch (IOException e) {
                return new byte[0];
              }
            });
  }

  /**
   * The content of object {@code id}, which must be of {@code type} and at most {@code maxBytes}.
   *
   * @param what the object's role, for messages ("the tree of directory app")
   */
  byte[] read(String id, String type, long maxBytes, String what) throws SourceException {
    long size = request(id, type, what);
    if (size > maxBytes) {
      throw new SourceException(
          "git: "
              + what
              + " ("
              + id
              + ") has "
              + size
              + " bytes; at most "
              + maxBytes
              + " can be sent to the enclave");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
    try (InputStream content = content(size)) {
      content.transferTo(out);
    } catch (IOException e) {
      throw failure("reading " + what, e);
    }
    return out.toByteArray();
  }

  /**
   * Starts reading blob {@code id}: its size, and a stream of exactly that many bytes, which must
   * be read to its end and closed before the next request.
   */
  Blob blob(String id, String what) throws SourceException {
    long size = request(id, "blob", what);
    return new Blob(size, content(size));
  }

  /** A blob being read. */
  record Blob(long size, InputStream stream) {}

  /** Asks for object {@code id}; returns its size once git says it is a {@code type}. */
  private long request(String id, String type, String what) throws SourceException {
    String header;
    try {
      requests.write((id + "\n").getBytes(StandardCharsets.US_ASCII));
      requests.flush();
      header = headerLine();
    } catch (IOException e) {
      throw failure("asking for " + what, e);
    }
    // "<id> <type> <size>" or "<id> missing"
    String[] parts = header.split(" ");
    if (parts.length == 2 && parts[1].equals("missing")) {
      throw new SourceException("git: " + what + " (" + id + ") is missing from the repository");
    }
    if (parts.length != 3 || !parts[0].equals(id) || !parts[2].matches("[0-9]{1,18}")) {
      throw new SourceException(
          "git cat-file: unexpected answer \"" + header + "\" for " + what + " in " + dir);
    }
    if (!parts[1].equals(type)) {
      throw new SourceException(
          "git: " + what + " (" + id + ") is a " + parts[1] + ", not a " + type);
    }
    return Long.parseLong(parts[2]);
  }

  private String headerLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = answers.read()) != '\n') {
      if (b < 0) {
        throw new IOException("git cat-file ended: " + stderr());
      }
      if (line.size() >= MAX_HEADER_BYTES) {
        throw new IOException("git cat-file: answer header too long");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** Exactly {@code size} bytes of content; closing it consumes the LF that ends every answer. */
  private InputStream content(long size) {
    return new FilterInputStream(answers) {
      private long left = size;
      private boolean closed;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
          throw new IOException("git cat-file ended in the middle of an object: " + stderr());
        }
        left -= n;
        return n;
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        if (left != 0) {
          throw new IOException("an object was not read to its end");
        }
        if (in.read() != '\n') {
          throw new IOException("git cat-file: an object is not followed by a line feed");
        }
      }
    };
  }

  private SourceException failure(String action, IOException e) {
    return new SourceException("git cat-file: " + action + " in " + dir + ": " + e.getMessage(), e);
  }

  private String stderr() {
    if (process.isAlive()) {
      return "(still running)";
    }
    return new String(errors.join(), StandardCharsets.UTF_8).strip();
  }

  @Override
  public void close() {
    try {
      requests.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
