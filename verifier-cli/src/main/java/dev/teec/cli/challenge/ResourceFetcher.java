package dev.teec.cli.challenge;

import dev.teec.enclave.proxy.ContentCache;
import dev.teec.enclave.proxy.RecordedResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fills a {@link ContentCache} with the bodies of recorded responses (SPEC C5): each body is
 * downloaded with {@link HttpClient} (redirects not followed), must have the recorded status, size
 * and SHA-256, and only then is stored; one already cached is re-verified instead. Several
 * downloads run at once.
 */
final class ResourceFetcher {
  /** What happened to one recorded response. */
  enum Outcome {
    /** Already in the cache, and verified. */
    CACHED,
    /** Downloaded, verified and stored. */
    FETCHED,
    /** The response has no body (HEAD, 204, 304): nothing to store. */
    NO_BODY,
    /**
     * Replay cannot serve it whatever the cache holds (a redirect, or a request other than
     * GET/HEAD).
     */
    UNREPLAYABLE,
    /** Could not be fetched, or was not what the report records. */
    FAILED
  }

  /** The result for one recorded response; {@code detail} explains UNREPLAYABLE and FAILED. */
  record Result(RecordedResponse response, Outcome outcome, String detail) {}

  private final HttpClient client;
  private final ContentCache cache;
  private final int parallelism;
  private final Duration timeout;

  ResourceFetcher(HttpClient client, ContentCache cache, int parallelism, Duration timeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.parallelism = parallelism;
    this.timeout = timeout;
  }

  static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** Fetches every response's body; the results are in the order of {@code responses}. */
  List<Result> fetchAll(List<RecordedResponse> responses) throws InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallelism,
            r -> {
              Thread t = new Thread(r, "teec-fetch");
              t.setDaemon(true);
              return t;
            });
    try {
      // The same body may be recorded for several URLs: download it once.
      Map<String, Future<Result>> byBody = new LinkedHashMap<>();
      List<Future<Result>> futures = new ArrayList<>();
      for (RecordedResponse r : responses) {
        String key = r.sha256() + "/" + r.size();
        if (!replayable(r) || r.method().equals("HEAD") || bodyless(r)) {
          futures.add(pool.submit(() -> fetch(r)));
        } else {
          futures.add(byBody.computeIfAbsent(key, k -> pool.submit(() -> fetch(r))));
        }
      }
      List<Result> results = new ArrayList<>();
      for (int i = 0; i < responses.size(); i++) {
        Result shared;
        try {
          shared = futures.get(i).get();
        } catch (ExecutionException e) {
          shared = new Result(responses.get(i), Outcome.FAILED, String.valueOf(e.getCause()));
        }
        results.add(new Result(responses.get(i), shared.outcome(), shared.detail()));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean replayable(RecordedResponse r) {
    return !r.isRedirect() && (r.method().equals("GET") || r.method().equals("HEAD"));
  }

  private static boolean bodyless(RecordedResponse r) {
    return r.method().equals("HEAD") || r.status() == 204 || r.status() == 304 || r.status() < 200;
  }

  private Result fetch(RecordedResponse r) {
    if (r.isRedirect()) {
      return new Result(
          r,
          Outcome.UNREPLAYABLE,
          "a redirect ("
              + r.status()
              + "): the report does not record its Location, so replay cannot serve it");
    }
    if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
      return new Result(
          r,
          Outcome.UNREPLAYABLE,
          r.method() + " requests are not fetched (the request body is not recorded)");
    }
    if (bodyless(r)) {
      return new Result(r, Outcome.NO_BODY, "");
    }
    try {
      if (cache.verify(r.sha256(), r.size())) {
        return new Result(r, Outcome.CACHED, "");
      }
    } catch (IOException e) {
      // A corrupt entry is replaced by a good download below.
    }
    String first = download(r, null);
    if (first == null) {
      return new Result(r, Outcome.FETCHED, "");
    }
    // The build's client may have asked for (and hashed) a gzip-encoded body.
    String second = download(r, "gzip");
    if (second == null) {
      return new Result(r, Outcome.FETCHED, "");
    }
    return new Result(r, Outcome.FAILED, first);
  }

  /** Downloads and stores the body; null on success, else why not. */
  private String download(RecordedResponse r, String acceptEncoding) {
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(URI.create(r.url())).GET().timeout(timeout);
    } catch (IllegalArgumentException e) {
      return "not a URL this client can fetch: " + e.getMessage();
    }
    if (acceptEncoding != null) {
      request.header("Accept-Encoding", acceptEncoding);
    }
    try {
      HttpResponse<InputStream> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != r.status()) {
          return "status " + response.statusCode() + ", the report records " + r.status();
        }
        cache.store(r.sha256(), r.size(), body);
        return null;
      }
    } catch (ContentCache.DigestMismatchException e) {
      return "downloaded "
          + e.actualSize()
          + " bytes with SHA-256 "
          + e.actual()
          + ", the report records "
          + r.size()
          + " bytes with SHA-256 "
          + r.sha256();
    } catch (IOException e) {
      return "download failed: "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
