package dev.teec.enclave.protocol;

import dev.teec.digest.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.Function;

/**
 * Counts and hashes streamed data against an announced size and SHA-256 (SPEC.md W8.5). Data beyond
 * the announced size is refused at the chunk that exceeds it, not at the end.
 */
final class StreamVerifier {

  private final String what;
  private final long expectedSize;
  private final ByteString expectedSha256;
  private final MessageDigest digest;
  private long received;

  StreamVerifier(String what, long expectedSize, ByteString expectedSha256) {
    this.what = what;
    this.expectedSize = expectedSize;
    this.expectedSha256 = expectedSha256;
    this.digest = Digests.sha256();
  }

  void add(ByteString chunk) throws ProtocolException {
    if (chunk.size() > expectedSize - received) {
      throw new ProtocolException(
          ErrorCode.SIZE_MISMATCH,
          what
              + " exceeds its announced size of "
              + expectedSize
              + " bytes ("
              + (received + chunk.size())
              + " bytes received)");
    }
    received += chunk.size();
    chunk.updateDigest(digest);
  }

  StreamDigest finish() throws ProtocolException {
    if (received != expectedSize) {
      throw new ProtocolException(
          ErrorCode.SIZE_MISMATCH,
          what + " ended after " + received + " bytes, " + expectedSize + " were announced");
    }
    ByteString actual = ByteString.wrap(digest.digest());
    if (!actual.equals(expectedSha256)) {
      throw new ProtocolException(
          ErrorCode.DIGEST_MISMATCH,
          what + " has SHA-256 " + actual.hex() + ", " + expectedSha256.hex() + " was announced");
    }
    return new StreamDigest(received, actual);
  }

  /** Where {@link #send} passes each chunk once it has been checked. */
  @FunctionalInterface
  interface ChunkSink {
    void accept(ByteString chunk) throws IOException;
  }

  /**
   * Reads {@code data} to its end in chunks of up to {@link Protocol#MAX_CHUNK_BYTES}, checks each
   * with {@link #add} and then hands it to {@code sink}; finally checks the whole with {@link
   * #finish}. A mismatch at either point is thrown as {@code onMismatch} turns it into.
   */
  StreamDigest send(
      InputStream data,
      ChunkSink sink,
      Function<ProtocolException, ? extends IOException> onMismatch)
      throws IOException {
    byte[] buffer = new byte[Protocol.MAX_CHUNK_BYTES];
    while (true) {
      int n = data.readNBytes(buffer, 0, buffer.length);
      if (n == 0) {
        break;
      }
      ByteString chunk = ByteString.of(buffer, 0, n);
      try {
        add(chunk);
      } catch (ProtocolException e) {
        throw onMismatch.apply(e);
      }
      sink.accept(chunk);
    }
    try {
      return finish();
    } catch (ProtocolException e) {
      throw onMismatch.apply(e);
    }
  }
}
