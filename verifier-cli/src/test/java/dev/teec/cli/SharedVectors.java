package dev.teec.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The real-world vectors in {@code ../shared/vectors}, next to the repository and not part of it.
 * Tests that need them skip, printing the reason, when the directory is absent (a fresh clone).
 */
final class SharedVectors {
  static final Path DIR = locate();

  private SharedVectors() {}

  private static Path locate() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("../shared/vectors").normalize();
      if (Files.isDirectory(candidate.resolve("real"))) {
        return candidate;
      }
    }
    return null;
  }

  static void assumePresent() {
    if (DIR == null) {
      System.out.println("SKIP: ../shared/vectors not found; real-document tests need it");
    }
    assumeTrue(DIR != null, "../shared/vectors not found; real-document tests need it");
  }

  /**
   * MANIFEST.json entries of one kind ("real" or "negative"), each named by its file, as arguments
   * for a parameterized test. When the vectors are absent it is a single null entry, so the test
   * runs once and skips with the reason (JUnit refuses a parameterized test with no arguments).
   */
  static Stream<Arguments> manifestArguments(String kind) {
    if (DIR == null) {
      return Stream.of(Arguments.of(Named.of("../shared/vectors absent", null)));
    }
    return manifestEntries(kind).stream().map(e -> Arguments.of(Named.of(e.get("file").asText(), e)));
  }

  private static List<JsonNode> manifestEntries(String kind) {
    try {
      JsonNode root = new ObjectMapper().readTree(DIR.resolve("MANIFEST.json").toFile());
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode f : root.get("files")) {
        if (f.get("kind").asText().equals(kind)) {
          out.add(f);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The absolute path of a file given relative to the vectors directory, as a CLI argument. */
  static String path(String relative) {
    assumePresent();
    return DIR.resolve(relative).toString();
  }

  static byte[] read(String relative) {
    try {
      return Files.readAllBytes(Path.of(path(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
