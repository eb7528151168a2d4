package dev.teec.formats.buildspec;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The build languages a worker image supports, by their build.json name, with the commands of their
 * toolchain and the package registry hosts a build of that language normally downloads from (the
 * default allowlist for the recording proxy and the host-side egress forwarder).
 */
public enum Language {
  /** C with gcc and make; no package registry. */
  C("c", List.of(), List.of("cc", "gcc", "make"), Set.of()),
  /** Rust with cargo: the crates.io sparse index and crate downloads. */
  RUST(
      "rust",
      List.of(),
      List.of("cargo", "rustc"),
      Set.of("crates.io", "index.crates.io", "static.crates.io")),
  /** Go modules: the module proxy and the checksum database. */
  GO("go", List.of(), List.of("go"), Set.of("proxy.golang.org", "sum.golang.org")),
  /** Java with Maven: Maven Central. Also accepted as {@code java}. */
  MAVEN(
      "maven",
      List.of("java"),
      List.of("java", "mvn"),
      Set.of("repo.maven.apache.org", "repo1.maven.org"));

  /**
   * Names people use for a language that build.json does not accept, to suggest the right one:
   * compilers, build tools and common spellings.
   */
  private static final Map<String, Language> NICKNAMES =
      Map.ofEntries(
          Map.entry("gcc", C),
          Map.entry("cc", C),
          Map.entry("clang", C),
          Map.entry("make", C),
          Map.entry("rustc", RUST),
          Map.entry("cargo", RUST),
          Map.entry("rs", RUST),
          Map.entry("golang", GO),
          Map.entry("mvn", MAVEN),
          Map.entry("jdk", MAVEN),
          Map.entry("jvm", MAVEN));

  private final String id;
  private final List<String> aliases;
  private final List<String> tools;
  private final Set<String> registryHosts;

  Language(String id, List<String> aliases, List<String> tools, Set<String> registryHosts) {
    this.id = id;
    this.aliases = aliases;
    this.tools = tools;
    this.registryHosts = registryHosts;
  }

  /**
   * The language's canonical name: what build.json's {@code language} names (directly or through an
   * alias), what registry images are looked up by, and what teec prints.
   */
  public String id() {
    return id;
  }

  /** Other names build.json may give for this language (e.g. {@code java} for Maven). */
  public List<String> aliases() {
    return aliases;
  }

  /**
   * The commands of this language's toolchain, in alphabetical order: what a local build resolves
   * on the user's PATH and what its report records (SPEC B4, W3).
   */
  public List<String> tools() {
    return tools;
  }

  /**
   * Host names (exact, lower case, no port) of this language's package registries; may be empty.
   */
  public Set<String> registryHosts() {
    return registryHosts;
  }

  /** The language with this build.json name or alias (case-sensitive), if any. */
  public static Optional<Language> fromId(String name) {
    return Arrays.stream(values())
        .filter(l -> l.id.equals(name) || l.aliases.contains(name))
        .findFirst();
  }

  /** All canonical names in alphabetical order, for error messages and documentation. */
  public static List<String> ids() {
    return Arrays.stream(values())
        .map(Language::id)
        .sorted()
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * The language someone who wrote {@code name} most likely meant, when {@link #fromId} knows no
   * such name: the same name in another letter case ({@code Rust}), a compiler or tool of the
   * language ({@code rustc}, {@code golang}, {@code mvn}), or a name one typo away ({@code rsut},
   * {@code mavne}; two for names of five letters or more).
   */
  public static Optional<Language> suggest(String name) {
    String lower = name.toLowerCase(Locale.ROOT).strip();
    Optional<Language> exact = fromId(lower);
    if (exact.isPresent()) {
      return exact;
    }
    if (NICKNAMES.containsKey(lower)) {
      return Optional.of(NICKNAMES.get(lower));
    }
    Language best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Language l : values()) {
      for (String known : l.names()) {
        int d = editDistance(lower, known);
        // Two-letter names ("go", "cc") are one edit away from too much to guess from.
        if (known.length() >= 3 && d < bestDistance) {
          best = l;
          bestDistance = d;
        }
      }
    }
    int allowed = lower.length() >= 5 ? 2 : 1;
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /**
   * Why {@code name} is not a language, with a suggestion when {@link #suggest} has one: {@code
   * unknown language "golang"; did you mean "go"? Known languages are c, go, maven (also java),
   * rust}.
   */
  public static String unknown(String name) {
    StringBuilder known = new StringBuilder();
    for (String id : ids()) {
      Language l = fromId(id).orElseThrow();
      known.append(known.length() == 0 ? "" : ", ").append(id);
      if (!l.aliases().isEmpty()) {
        known.append(" (also ").append(String.join(", ", l.aliases())).append(')');
      }
    }
    return "unknown language \""
        + name
        + "\""
        + suggest(name)
            .map(
                l -> "; did you mean \"" + l.acceptedNameNearest(name) + "\"? Known languages are ")
            .orElse("; known languages are ")
        + known;
  }

  /**
   * Of the names build.json accepts for this language, the one nearest to {@code name}: someone who
   * wrote {@code Java} or {@code jav} is told {@code java}, not {@code maven}.
   */
  private String acceptedNameNearest(String name) {
    String lower = name.toLowerCase(Locale.ROOT).strip();
    return Stream.concat(Stream.of(id), aliases.stream())
        .min(Comparator.comparingInt(n -> editDistance(lower, n)))
        .orElseThrow();
  }

  /** The canonical name, the aliases, and the names of tools that people use for it. */
  private List<String> names() {
    return Stream.of(
            Stream.of(id),
            aliases.stream(),
            NICKNAMES.entrySet().stream()
                .filter(e -> e.getValue() == this)
                .map(Map.Entry::getKey)
                .sorted())
        .flatMap(s -> s)
        .toList();
  }

  /** Damerau-Levenshtein (optimal string alignment) distance: a swap of neighbours is one edit. */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
