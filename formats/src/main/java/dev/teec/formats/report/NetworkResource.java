package dev.teec.formats.report;

import java.util.Comparator;

/**
 * One request the build made through the recording proxy and the response it got.
 *
 * @param uri absolute request URL
 * @param method HTTP method, an RFC 9110 token
 * @param status response status code, 100..599
 * @param size response body size in bytes
 * @param contentType response Content-Type, or null when the response had none
 * @param sha256 SHA-256 of the response body as delivered to the build, lowercase hex
 */
public record NetworkResource(
    String uri, String method, int status, long size, String contentType, String sha256)
    implements Comparable<NetworkResource> {

  /** The order of resolvedDependencies in the report: every field, in declaration order. */
  private static final Comparator<NetworkResource> ORDER =
      Comparator.comparing(NetworkResource::uri)
          .thenComparing(NetworkResource::method)
          .thenComparingInt(NetworkResource::status)
          .thenComparingLong(NetworkResource::size)
          .thenComparing(
              NetworkResource::contentType, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(NetworkResource::sha256);

  /** Validates every component. */
  public NetworkResource {
    Checks.uri(uri, "network resource uri");
    Checks.text(method, 32, "HTTP method of " + uri);
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      boolean alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
        throw new IllegalArgumentException(
            "HTTP method \"" + method + "\" of " + uri + " is not a token");
      }
    }
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException(
          "HTTP status " + status + " of " + uri + " is outside 100..599");
    }
    if (size < 0 || size > Jcs.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("size " + size + " of " + uri + " is outside 0..2^53-1");
    }
    if (contentType != null) {
      Checks.text(contentType, 256, "content type of " + uri);
    }
    Checks.sha256(sha256, "body digest of " + uri);
  }

  @Override
  public int compareTo(NetworkResource other) {
    return ORDER.compare(this, other);
  }
}
