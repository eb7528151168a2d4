package dev.teec.verifier;

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
 * Shared with other modules' tests through verifier-core's test jar.
 */
public final class SharedVectors {
  /** The vectors directory, or null when it is absent. */
  public static final Path DIR = locate();

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

  public static void assumePresent() {
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
  public static Stream<Arguments> manifestArguments(String kind) {
    if (DIR == null) {
      return Stream.of(Arguments.of(Named.of("../shared/vectors absent", null)));
    }
    return manifestEntries(kind).stream()
        .map(e -> Arguments.of(Named.of(e.get("file").asText(), e)));
  }

  /** MANIFEST.json entries of one kind; empty when the vectors are absent. */
  public static List<JsonNode> manifestEntries(String kind) {
    if (DIR == null) {
      return List.of();
    }
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
  public static String path(String relative) {
    assumePresent();
    return DIR.resolve(relative).toString();
  }

  public static byte[] read(String relative) {
    try {
      return Files.readAllBytes(Path.of(path(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
