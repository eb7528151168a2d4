package dev.teec.vectors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes every scenario of {@link Scenarios#all} for {@link Scenarios#DEFAULT_SEED} and {@link
 * Scenarios#DEFAULT_BASE} into a directory, one subdirectory per scenario holding {@code
 * document.cbor}, {@code root.pem} and {@code expected.json}. Scenario directories that the
 * catalogue no longer has are removed, so the directory always mirrors the catalogue.
 *
 * <p>Usage: {@code GenerateVectors <output-dir>}; see test-vectors/README.md.
 */
public final class GenerateVectors {
  static final String DOCUMENT = "document.cbor";
  static final String ROOT = "root.pem";
  static final String EXPECTED = "expected.json";

  private GenerateVectors() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: GenerateVectors <output-dir>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    List<Scenario> scenarios = Scenarios.all(Scenarios.DEFAULT_SEED, Scenarios.DEFAULT_BASE);
    write(dir, scenarios);
    System.out.println(
        "wrote " + scenarios.size() + " scenarios to " + dir.toAbsolutePath().normalize());
  }

  /** Writes {@code scenarios} under {@code dir} and removes stale scenario directories. */
  public static void write(Path dir, List<Scenario> scenarios) throws IOException {
    Files.createDirectories(dir);
    Set<String> names = scenarios.stream().map(Scenario::name).collect(Collectors.toSet());
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.toList()) {
        // Only directories that look like scenarios are removed, never anything else in dir.
        if (Files.isRegularFile(child.resolve(EXPECTED))
            && !names.contains(child.getFileName().toString())) {
          for (String file : List.of(DOCUMENT, ROOT, EXPECTED)) {
            Files.deleteIfExists(child.resolve(file));
          }
          Files.delete(child);
        }
      }
    }
    for (Scenario s : scenarios) {
      Path sub = Files.createDirectories(dir.resolve(s.name()));
      Files.write(sub.resolve(DOCUMENT), s.document());
      Files.writeString(sub.resolve(ROOT), s.rootPem(), StandardCharsets.US_ASCII);
      Files.writeString(sub.resolve(EXPECTED), s.expectedJson(), StandardCharsets.UTF_8);
    }
  }
}
