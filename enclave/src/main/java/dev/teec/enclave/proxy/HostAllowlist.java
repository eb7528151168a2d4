package dev.teec.enclave.proxy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The upstream hosts a build may reach through the proxy. A pattern is either an exact host ({@code
 * repo.maven.apache.org}, {@code 127.0.0.1}, {@code ::1}) or {@code *.} followed by a domain, which
 * matches every name strictly below that domain ({@code *.example.org} matches {@code
 * a.example.org} and {@code a.b.example.org}, not {@code example.org}). Matching is
 * case-insensitive and independent of the port. Immutable.
 */
public final class HostAllowlist {

  private static final String ANY = "*";

  private final List<String> patterns;

  private HostAllowlist(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /**
   * An allowlist of the given patterns, normalised to lower case.
   *
   * @throws IllegalArgumentException naming the first invalid pattern and its position
   */
  public static HostAllowlist of(Collection<String> patterns) {
    List<String> normalised = new ArrayList<>();
    int index = 0;
    for (String p : patterns) {
      Objects.requireNonNull(p, "allowlist pattern " + index);
      try {
        normalised.add(
            p.startsWith("*.") ? "*." + Hosts.normalise(p.substring(2)) : Hosts.normalise(p));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "allowlist pattern " + index + " " + Hosts.quote(p) + ": " + e.getMessage(), e);
      }
      index++;
    }
    return new HostAllowlist(normalised);
  }

  /** An allowlist of the given patterns; see {@link #of(Collection)}. */
  public static HostAllowlist of(String... patterns) {
    return of(List.of(patterns));
  }

  /**
   * Allows every host: for local runs where the user accepts any network input (it is still
   * recorded).
   */
  public static HostAllowlist any() {
    return new HostAllowlist(List.of(ANY));
  }

  /** Allows no host: every request is answered 403 and recorded as blocked. */
  public static HostAllowlist none() {
    return new HostAllowlist(List.of());
  }

  /** Whether {@code host} (any case, IPv6 with or without brackets) may be reached. */
  public boolean allows(String host) {
    String h;
    try {
      h = Hosts.normalise(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (String p : patterns) {
      if (p.equals(ANY) || p.equals(h) || (p.startsWith("*.") && h.endsWith(p.substring(1)))) {
        return true;
      }
    }
    return false;
  }

  /** The normalised patterns, {@code ["*"]} for {@link #any()}. */
  public List<String> patterns() {
    return patterns;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostAllowlist other && other.patterns.equals(patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }

  @Override
  public String toString() {
    return "HostAllowlist" + patterns;
  }
}
