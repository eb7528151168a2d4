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
 * Access to the real-world vectors in {@code ../shared/vectors} (not part of the repository). Tests
 * using them skip, with the reason printed, when the directory is absent, as in a fresh clone.
 */
final class SharedVectors {
  static final Path DIR = locate();

  private SharedVectors() {}

  private static Path locate() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
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

  /** MANIFEST.json entries for one kind ("real" or "negative"). */
  static List<JsonNode> manifestEntries(String kind) {
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

  /** The MANIFEST entries of one kind as named JUnit arguments, for {@code @MethodSource}. */
  static Stream<Arguments> arguments(String kind) {
    return manifestEntries(kind).stream()
        .map(e -> Arguments.of(Named.of(e.get("file").asText(), e)));
  }

  static byte[] read(String relative) {
    try {
      return Files.readAllBytes(DIR.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
