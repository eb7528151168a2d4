package dev.teec.truststore.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's own registry under trust-store/registry verifies with the shipped maintainer keys.
 */
class ShippedRegistryTest {
  private static final Path DIR = Path.of("registry");

  /** Inside the shipped registry's validity window (issued 2026-11-25, one year). */
  private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void shippedRegistry_verifiesWithTheShippedKeys() throws Exception {
    RegistryVerification v =
        RegistryVerifier.builder()
            .keys(
                MaintainerKeys.parsePublicSet(
                    Files.readString(DIR.resolve("maintainers.jwks.json"))))
            .clock(Clock.fixed(AT, ZoneOffset.UTC))
            .minVersion(1)
            .build()
            .verify(Files.readAllBytes(DIR.resolve("teec-registry.json")));

    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    Registry r = v.verifiedRegistry().orElseThrow().registry();
    // No invented PCRs: images are added only once measured from EIFs built on Nitro hardware.
    assertThat(r.images()).isEmpty();
    assertThat(r.extraRoots()).isEmpty();
    assertThat(r.expiresAt()).isAfter(r.issuedAt().plusSeconds(364L * 86400));
  }

  @Test
  void shippedFiles_holdNoPrivateKey() throws Exception {
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        if (f.getFileName().toString().endsWith(".jwks.json")) {
          for (JsonNode key : new ObjectMapper().readTree(text).get("keys")) {
            assertThat(key.has("d")).as(f + " holds a private key").isFalse();
          }
        }
        assertThat(text).as(f.toString()).doesNotContain("\"d\"");
      }
    }
  }
}
