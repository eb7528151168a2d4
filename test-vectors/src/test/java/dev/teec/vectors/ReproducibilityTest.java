package dev.teec.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed vectors are exactly what the generator writes, and the generator is a pure function
 * of its seed. Generation is the slow part of this module's tests, so each catalogue is generated
 * once and shared.
 */
class ReproducibilityTest {
  @TempDir static Path generatedDir;
  private static List<Scenario> inMemory;

  @BeforeAll
  static void generate() throws IOException {
    GenerateVectors.main(new String[] {generatedDir.toString()});
    inMemory = Scenarios.all(Scenarios.DEFAULT_SEED, Scenarios.DEFAULT_BASE);
  }

  @Test
  void generateVectors_intoTempDir_isByteIdenticalToCommittedVectors() throws IOException {
    Map<String, byte[]> generated = files(generatedDir);
    Map<String, byte[]> committed = files(CommittedVectors.DIR);

    assertThat(generated.keySet())
        .as("regenerate with the command in test-vectors/README.md")
        .containsExactlyElementsOf(committed.keySet());
    generated.forEach(
        (path, bytes) ->
            assertThat(bytes)
                .as(path + " differs from the committed file; regenerate")
                .isEqualTo(committed.get(path)));
  }

  @Test
  void scenarios_sameSeedGeneratedTwice_areByteIdentical() throws IOException {
    assertThat(inMemory).hasSize(files(generatedDir).size() / 3);
    for (Scenario s : inMemory) {
      Path dir = generatedDir.resolve(s.name());
      assertThat(s.document())
          .as(s.name())
          .isEqualTo(Files.readAllBytes(dir.resolve(GenerateVectors.DOCUMENT)));
      assertThat(s.rootPem())
          .isEqualTo(
              Files.readString(dir.resolve(GenerateVectors.ROOT), StandardCharsets.US_ASCII));
      assertThat(s.expectedJson())
          .isEqualTo(Files.readString(dir.resolve(GenerateVectors.EXPECTED)));
    }
  }

  @Test
  void scenarios_differentSeed_giveDifferentRootAndDocuments() {
    List<Scenario> other = Scenarios.all("another seed", Scenarios.DEFAULT_BASE);

    assertThat(other)
        .extracting(Scenario::name)
        .containsExactlyElementsOf(inMemory.stream().map(Scenario::name).toList());
    assertThat(other.get(0).rootPem()).isNotEqualTo(inMemory.get(0).rootPem());
    for (int i = 0; i < other.size(); i++) {
      assertThat(other.get(i).document())
          .as(other.get(i).name())
          .isNotEqualTo(inMemory.get(i).document());
    }
  }

  @Test
  void write_removesStaleScenarioDirectories_butNothingElse(@TempDir Path tmp) throws IOException {
    Path stale = Files.createDirectories(tmp.resolve("renamed-scenario"));
    Files.writeString(stale.resolve(GenerateVectors.EXPECTED), "{}");
    Path unrelated = Files.createDirectories(tmp.resolve("notes"));
    Files.writeString(unrelated.resolve("readme.txt"), "kept");

    GenerateVectors.write(tmp, inMemory.subList(0, 1));

    assertThat(stale).doesNotExist();
    assertThat(unrelated.resolve("readme.txt")).hasContent("kept");
    assertThat(tmp.resolve(inMemory.get(0).name()).resolve(GenerateVectors.DOCUMENT)).exists();
  }

  /** Every regular file under {@code root}, by relative path with '/' separators. */
  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return out;
  }
}
