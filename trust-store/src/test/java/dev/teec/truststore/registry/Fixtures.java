package dev.teec.truststore.registry;

import dev.teec.verifier.Bytes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Registries and images for tests; times around {@link #NOW}. */
public final class Fixtures {
  public static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");
  public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  private Fixtures() {}

  /** 48 bytes, each {@code b}. */
  public static Bytes pcr(int b) {
    byte[] v = new byte[48];
    java.util.Arrays.fill(v, (byte) b);
    return Bytes.of(v);
  }

  public static ImageEntry image(String id, int pcrSeed) {
    return new ImageEntry(
        id,
        "rust",
        new TreeMap<>(Map.of("rust", "1.83.0", "cargo", "1.83.0")),
        "Rust 1.83 builder",
        new Recipe("https://github.com/teec/images", COMMIT),
        new TreeMap<>(Map.of(0, pcr(pcrSeed), 1, pcr(pcrSeed + 1), 2, pcr(pcrSeed + 2))),
        Instant.parse("2026-01-01T00:00:00Z"),
        Optional.empty(),
        ImageStatus.active());
  }

  public static Registry registry(long version, ImageEntry... images) {
    return new Registry(
        version,
        Instant.parse("2026-11-01T00:00:00Z"),
        Instant.parse("2027-11-01T00:00:00Z"),
        List.of(images),
        List.of());
  }
}
