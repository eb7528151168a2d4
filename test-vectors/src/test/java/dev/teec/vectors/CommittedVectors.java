package dev.teec.vectors;

import com.upokecenter.cbor.CBORObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed scenario directories under test-vectors/vectors (tests run in the module
 * directory).
 */
final class CommittedVectors {
  static final Path DIR = Path.of("vectors");

  private CommittedVectors() {}

  /** Scenario names, sorted. */
  static List<String> names() {
    try (Stream<Path> dirs = Files.list(DIR)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] document(String scenario) {
    return read(scenario, GenerateVectors.DOCUMENT);
  }

  static CBORObject expected(String scenario) {
    return CBORObject.FromJSONString(
        new String(read(scenario, GenerateVectors.EXPECTED), StandardCharsets.UTF_8));
  }

  static byte[] read(String scenario, String file) {
    try {
      return Files.readAllBytes(DIR.resolve(scenario).resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
