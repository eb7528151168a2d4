package dev.teec.enclave.proxy;

import java.util.Objects;

/**
 * A response recorded by an earlier build, as the report lists it, that offline replay serves
 * again: the request it answered (method and URL) and what came back.
 *
 * @param method request method ({@code GET}, {@code HEAD}, ...)
 * @param url the request URL exactly as the proxy recorded it (see {@link NetworkRecord#url()})
 * @param status HTTP status, 100..599
 * @param size response body bytes
 * @param contentType the response's Content-Type, null when it had none
 * @param sha256 lower-case hex SHA-256 of the body: the name of the body in a {@link ContentCache}
 */
public record RecordedResponse(
    String method, String url, int status, long size, String contentType, String sha256) {

  /**
   * @throws IllegalArgumentException if a field is out of range
   */
  public RecordedResponse {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    if (status < 100 || status > 599 || size < 0) {
      throw new IllegalArgumentException(
          "invalid status " + status + " or size " + size + " for " + url);
    }
    ContentCache.checkDigest(sha256);
    if (!HttpHead.isToken(method)) {
      throw new IllegalArgumentException("method " + Hosts.quote(method) + " is not a token");
    }
    // Both go back into an HTTP head: nothing that could end a line or a field.
    if (!url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("URL is not printable ASCII: " + Hosts.quote(url));
    }
    if (contentType != null
        && !contentType.chars().allMatch(c -> (c >= 0x20 && c < 0x7f) || c == '\t')) {
      throw new IllegalArgumentException("content type of " + url + " is not printable ASCII");
    }
  }

  /**
   * A redirect (3xx other than 304 Not Modified). The report does not record the {@code Location}
   * it carried, so replay cannot send the client on to the same place: it refuses such a request.
   */
  public boolean isRedirect() {
    return status >= 300 && status < 400 && status != 304;
  }

  /** Whether the response to {@code method} with this status has no body on the wire. */
  boolean bodyless() {
    return method.equals("HEAD") || status == 204 || status == 304 || status < 200;
  }
}
