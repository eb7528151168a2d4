package dev.teec.enclave.proxy;

import java.util.Comparator;
import java.util.Objects;

/**
 * One request the build made through the {@link RecordingProxy}, and what came back.
 *
 * <p>{@code sha256} and {@code size} cover the response body exactly as it crossed the proxy: after
 * removing the HTTP/1.1 transfer framing (chunked), before undoing any {@code Content-Encoding} (a
 * gzip-encoded response is hashed as gzip bytes). For HEAD, 204 and 304 responses the body is
 * empty, so {@code size} is 0 and {@code sha256} the hash of no bytes.
 *
 * <p>A record is {@linkplain #complete() complete} when the body was received in full: then {@code
 * sha256} is set. Otherwise {@code sha256} is null and {@code error} says why; {@code status} is
 * the status the client was given (403 when blocked, 502 when upstream failed, the upstream status
 * when the body broke off midway) or 0 when no HTTP response was possible (the client's TLS
 * handshake failed).
 *
 * @param method request method as sent by the client ({@code GET}, {@code HEAD}, ...), or {@code
 *     CONNECT} for a tunnel that failed before any request
 * @param url {@code http(s)://host[:port]/path?query}, host lower-cased, the port only when not the
 *     scheme's default, path and query exactly as requested
 * @param status HTTP status given to the client, 0 when none
 * @param size response body bytes received from upstream (so far, when incomplete)
 * @param contentType the response's {@code Content-Type} header, null when absent
 * @param sha256 lower-case hex SHA-256 of the whole response body, null unless complete
 * @param blocked true when the host is not on the allowlist (never forwarded upstream)
 * @param error why the exchange did not complete, null when it did
 */
public record NetworkRecord(
    String method,
    String url,
    int status,
    long size,
    String contentType,
    String sha256,
    boolean blocked,
    String error) {

  /**
   * A total order for reports, independent of timing: by url, then method, status, sha256 (nulls
   * first), size, blocked, error. Records that compare equal are identical.
   */
  public static final Comparator<NetworkRecord> CANONICAL_ORDER =
      Comparator.comparing(NetworkRecord::url)
          .thenComparing(NetworkRecord::method)
          .thenComparingInt(NetworkRecord::status)
          .thenComparing(NetworkRecord::sha256, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingLong(NetworkRecord::size)
          .thenComparing(
              NetworkRecord::contentType, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(NetworkRecord::blocked)
          .thenComparing(NetworkRecord::error, Comparator.nullsFirst(Comparator.naturalOrder()));

  /**
   * @throws IllegalArgumentException if the fields contradict the rules above
   */
  public NetworkRecord {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    if (status < 0 || status > 999 || size < 0) {
      throw new IllegalArgumentException(
          "invalid status " + status + " or size " + size + " for " + url);
    }
    if ((sha256 == null) == (error == null && !blocked)) {
      throw new IllegalArgumentException(
          "sha256 must be set exactly when the record is complete: " + url);
    }
    if (blocked && error == null) {
      throw new IllegalArgumentException("a blocked record needs an error text: " + url);
    }
    if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 is not 64 lower-case hex digits: " + url);
    }
  }

  /** A fetch whose whole body was received: {@code sha256} covers {@code size} bytes. */
  public static NetworkRecord completed(
      String method, String url, int status, long size, String contentType, String sha256) {
    return new NetworkRecord(method, url, status, size, contentType, sha256, false, null);
  }

  /**
   * A fetch that did not complete; {@code size} body bytes had crossed the proxy when it stopped.
   */
  public static NetworkRecord failed(
      String method, String url, int status, long size, String contentType, String error) {
    return new NetworkRecord(method, url, status, size, contentType, null, false, error);
  }

  /** A fetch that failed before any response body: nothing was received. */
  public static NetworkRecord failed(String method, String url, int status, String error) {
    return failed(method, url, status, 0, null, error);
  }

  /** A request to a host not on the allowlist: answered 403, never forwarded upstream. */
  public static NetworkRecord denied(String method, String url, String why) {
    return new NetworkRecord(method, url, 403, 0, null, null, true, why);
  }

  /** True when the whole body was received and hashed (not blocked, no error). */
  public boolean complete() {
    return sha256 != null;
  }
}
