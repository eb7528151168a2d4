package dev.teec.enclave.proxy;

import dev.teec.digest.Digests;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a replaying proxy's responses come from: the responses an earlier build recorded (its
 * report's network resources), with their bodies taken from a {@link ContentCache}. A proxy given
 * one ({@link RecordingProxy.Builder#replay}) never opens an upstream connection: each request is
 * answered from here, and recorded exactly as a live exchange would be, so a replayed build making
 * the same requests gets the same network records as the original.
 *
 * <p>Requests are matched by method and URL only (request bodies and headers are not part of the
 * record). A request the original build did not complete is answered {@code 404} with a {@code teec
 * proxy: } reason. Ambiguous entries (the same request recorded with different responses),
 * redirects (the report does not record {@code Location}) and bodies missing from the cache are
 * answered {@code 502}, also with a reason. Every body is re-hashed while it is served, and its
 * last bytes are sent only when size and digest match the record: a corrupt cache entry never
 * reaches the build complete, the client sees a truncated response instead.
 *
 * <p>Immutable and thread-safe.
 */
public final class OfflineReplay {
  private static final int BUFFER = 32 * 1024;
  private static final HexFormat HEX = HexFormat.of();

  private final Map<String, List<RecordedResponse>> byRequest;
  private final ContentCache cache;

  private OfflineReplay(Map<String, List<RecordedResponse>> byRequest, ContentCache cache) {
    this.byRequest = byRequest;
    this.cache = cache;
  }

  /** A replay of {@code recorded} (duplicates are merged) with bodies from {@code cache}. */
  public static OfflineReplay of(Collection<RecordedResponse> recorded, ContentCache cache) {
    Objects.requireNonNull(cache, "cache");
    Map<String, List<RecordedResponse>> map = new TreeMap<>();
    for (RecordedResponse r : recorded) {
      List<RecordedResponse> list =
          map.computeIfAbsent(key(r.method(), r.url()), k -> new ArrayList<>());
      if (!list.contains(r)) {
        list.add(r);
      }
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    return new OfflineReplay(Map.copyOf(map), cache);
  }

  /** The cache bodies are served from. */
  public ContentCache cache() {
    return cache;
  }

  /** Every recorded response, in (method, URL) order. */
  public List<RecordedResponse> responses() {
    return new TreeMap<>(byRequest).values().stream().flatMap(List::stream).toList();
  }

  private static String key(String method, String url) {
    return method + " " + url;
  }

  /**
   * The answer to {@code method url}, with its body opened.
   *
   * @throws HttpException with the status and reason to give the client when it cannot be replayed
   */
  Answer answer(String method, String url) throws HttpException {
    List<RecordedResponse> candidates = byRequest.get(key(method, url));
    if (candidates == null) {
      throw new HttpException(
          404,
          "offline replay: "
              + method
              + " "
              + url
              + " is not among the original build's recorded network resources");
    }
    if (candidates.size() > 1) {
      throw new HttpException(
          502,
          "offline replay: the original build recorded "
              + candidates.size()
              + " different responses to "
              + method
              + " "
              + url
              + "; replay cannot tell which to serve");
    }
    RecordedResponse r = candidates.get(0);
    if (r.isRedirect()) {
      throw new HttpException(
          502,
          "offline replay: the original response to "
              + method
              + " "
              + url
              + " was a redirect ("
              + r.status()
              + ") and the report does not record its Location");
    }
    if (r.bodyless()) {
      return new Answer(r, null);
    }
    try {
      return new Answer(r, cache.open(r.sha256()));
    } catch (NoSuchFileException e) {
      throw new HttpException(
          502,
          "offline replay: the body of "
              + method
              + " "
              + url
              + " (SHA-256 "
              + r.sha256()
              + ") is not in the cache "
              + cache.directory()
              + " (teec challenge fetch fills it)");
    } catch (IOException e) {
      throw new HttpException(
          502, "offline replay: cannot read the cached body of " + url + ": " + e.getMessage());
    }
  }

  /** A recorded response and its opened body (null when the response has none). */
  static final class Answer implements Closeable {
    private final RecordedResponse response;
    private final InputStream body;

    Answer(RecordedResponse response, InputStream body) {
      this.response = response;
      this.body = body;
    }

    RecordedResponse response() {
      return response;
    }

    /**
     * Copies the body to {@code out}, holding back the last buffer until the whole body was hashed:
     * it is written only when size and digest equal the record.
     *
     * @throws HttpException (status 502) when the cached body is unreadable or not the recorded
     *     one; the response is then incomplete and the connection must be dropped
     * @throws IOException when writing to the client fails
     */
    void writeBody(OutputStream out) throws IOException {
      if (body == null) {
        return;
      }
      MessageDigest md = Digests.sha256();
      byte[] held = new byte[BUFFER];
      byte[] next = new byte[BUFFER];
      int heldLength = 0;
      long total = 0;
      while (true) {
        int n;
        try {
          n = body.readNBytes(next, 0, next.length);
        } catch (IOException e) {
          throw new HttpException(
              502,
              "offline replay: reading the cached body of "
                  + response.url()
                  + " failed after "
                  + total
                  + " bytes: "
                  + e.getMessage());
        }
        if (n == 0) {
          break;
        }
        total += n;
        if (total > response.size()) {
          break;
        }
        md.update(next, 0, n);
        if (heldLength > 0) {
          out.write(held, 0, heldLength);
        }
        byte[] swap = held;
        held = next;
        next = swap;
        heldLength = n;
      }
      String actual = HEX.formatHex(md.digest());
      if (total != response.size() || !actual.equals(response.sha256())) {
        throw new HttpException(
            502,
            "offline replay: the cached body of "
                + response.url()
                + " is not the"
                + " recorded one ("
                + (total > response.size()
                    ? "more than " + response.size() + " bytes"
                    : total + " bytes with SHA-256 " + actual)
                + ", recorded "
                + response.size()
                + " bytes with SHA-256 "
                + response.sha256()
                + ")");
      }
      if (heldLength > 0) {
        out.write(held, 0, heldLength);
      }
    }

    @Override
    public void close() throws IOException {
      if (body != null) {
        body.close();
      }
    }
  }
}
