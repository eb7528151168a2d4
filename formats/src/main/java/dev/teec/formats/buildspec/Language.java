package dev.teec.formats.buildspec;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The build languages a worker image supports, by their build.json name, with the package registry
 * hosts a build of that language normally downloads from (the default allowlist for the recording
 * proxy and the host-side egress forwarder).
 */
public enum Language {
  /** C with gcc and make; no package registry. */
  C("c", Set.of()),
  /** Rust with cargo: the crates.io sparse index and crate downloads. */
  RUST("rust", Set.of("crates.io", "index.crates.io", "static.crates.io")),
  /** Go modules: the module proxy and the checksum database. */
  GO("go", Set.of("proxy.golang.org", "sum.golang.org")),
  /** Java with Maven: Maven Central. */
  MAVEN("maven", Set.of("repo.maven.apache.org", "repo1.maven.org"));

  private final String id;
  private final Set<String> registryHosts;

  Language(String id, Set<String> registryHosts) {
    this.id = id;
    this.registryHosts = registryHosts;
  }

  /** The name used in build.json's {@code language} field. */
  public String id() {
    return id;
  }

  /**
   * Host names (exact, lower case, no port) of this language's package registries; may be empty.
   */
  public Set<String> registryHosts() {
    return registryHosts;
  }

  /** The language with this build.json name (case-sensitive), if any. */
  public static Optional<Language> fromId(String id) {
    return Arrays.stream(values()).filter(l -> l.id.equals(id)).findFirst();
  }

  /** All build.json names in alphabetical order, for error messages and documentation. */
  public static List<String> ids() {
    return Arrays.stream(values())
        .map(Language::id)
        .sorted()
        .collect(Collectors.toUnmodifiableList());
  }
}
