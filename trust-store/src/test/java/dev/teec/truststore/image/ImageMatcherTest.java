package dev.teec.truststore.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.teec.truststore.registry.Fixtures;
import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.ImageStatus;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.truststore.registry.Recipe;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistrySigner;
import dev.teec.truststore.registry.RegistryVerifier;
import dev.teec.truststore.registry.VerifiedRegistry;
import dev.teec.verifier.Bytes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** SPEC.md R4: which image a document's PCRs belong to, and which image a build uses. */
class ImageMatcherTest {
  private static final ECKey KEY = MaintainerKeys.generate("alice");
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

  private final ImageEntry rust = Fixtures.image("rust-1.83-cargo", 0x10);
  private final ImageEntry revoked =
      Fixtures.image("rust-1.82-cargo", 0x20)
          .withStatus(
              ImageStatus.revoked("toolchain miscompiles", Instant.parse("2026-05-01T00:00:00Z")));
  private final ImageEntry expired =
      new ImageEntry(
          "maven-3.9-jdk17",
          "java",
          new TreeMap<>(Map.of("jdk", "17.0.12", "maven", "3.9.9")),
          "Maven",
          new Recipe("https://x", Fixtures.COMMIT),
          new TreeMap<>(
              Map.of(0, Fixtures.pcr(0x30), 1, Fixtures.pcr(0x31), 2, Fixtures.pcr(0x32))),
          Instant.parse("2026-01-01T00:00:00Z"),
          Optional.of(Instant.parse("2026-03-01T00:00:00Z")),
          ImageStatus.active());
  private final ImageEntry signed =
      new ImageEntry(
          "c-gcc-12",
          "c",
          new TreeMap<>(Map.of("gcc", "12.2.0")),
          "C",
          new Recipe("https://x", Fixtures.COMMIT),
          new TreeMap<>(
              Map.of(
                  0,
                  Fixtures.pcr(0x40),
                  1,
                  Fixtures.pcr(0x41),
                  2,
                  Fixtures.pcr(0x42),
                  8,
                  Fixtures.pcr(0x48))),
          Instant.parse("2026-01-01T00:00:00Z"),
          Optional.empty(),
          ImageStatus.active());
  private final ImageMatcher matcher =
      new ImageMatcher(verified(Fixtures.registry(3, rust, revoked, expired, signed)));

  @Test
  void match_activeImage() {
    ImageMatch m = matcher.match(pcrs(0x10, 0), AT);
    assertThat(m.outcome()).isEqualTo(ImageMatch.Outcome.MATCHED);
    assertThat(m.image()).contains(rust);
    assertThat(m.detail())
        .contains("rust-1.83-cargo", "cargo 1.83.0", "registry version 3", "signed by alice");
  }

  @Test
  void match_ignoresUnpinnedPcrs_butNotAChangedPinnedOne() {
    Map<Integer, Bytes> pcrs = new TreeMap<>(pcrs(0x10, 0));
    pcrs.put(3, Fixtures.pcr(0x77));
    assertThat(matcher.match(pcrs, AT).matched()).isTrue();
    pcrs.put(2, Fixtures.pcr(0x78));
    assertThat(matcher.match(pcrs, AT).outcome()).isEqualTo(ImageMatch.Outcome.UNKNOWN_PCRS);
  }

  @Test
  void match_unknownPcrs() {
    ImageMatch m = matcher.match(pcrs(0x70, 0), AT);
    assertThat(m.outcome()).isEqualTo(ImageMatch.Outcome.UNKNOWN_PCRS);
    assertThat(m.image()).isEmpty();
    assertThat(m.detail()).startsWith("unknown PCRs: no image of registry version 3 has PCR0 7070");
  }

  @Test
  void match_revokedImage_namesTheReason() {
    ImageMatch m = matcher.match(pcrs(0x20, 0), AT);
    assertThat(m.outcome()).isEqualTo(ImageMatch.Outcome.REVOKED);
    assertThat(m.image()).contains(revoked);
    assertThat(m.detail()).contains("revoked at 2026-05-01T00:00:00Z: toolchain miscompiles");
  }

  @Test
  void match_outsideValidity() {
    ImageMatch m = matcher.match(pcrs(0x30, 0), AT);
    assertThat(m.outcome()).isEqualTo(ImageMatch.Outcome.OUTSIDE_VALIDITY);
    assertThat(m.detail())
        .contains("valid only from 2026-01-01T00:00:00Z until 2026-03-01T00:00:00Z");
    assertThat(matcher.match(pcrs(0x30, 0), Instant.parse("2026-02-01T00:00:00Z")).matched())
        .isTrue();
  }

  @Test
  void match_signedImage_needsPcr8() {
    assertThat(matcher.match(pcrs(0x40, 0x48), AT).matched()).isTrue();
    assertThat(matcher.match(pcrs(0x40, 0x49), AT).outcome())
        .isEqualTo(ImageMatch.Outcome.UNKNOWN_PCRS);
    assertThat(matcher.match(pcrs(0x40, 0), AT).outcome())
        .isEqualTo(ImageMatch.Outcome.UNKNOWN_PCRS);
  }

  @Test
  void findFor_languageAndToolchain() {
    assertThat(matcher.findFor("rust", Map.of("rust", "1.83.0"), AT)).contains(rust);
    assertThat(matcher.findFor("rust", Map.of(), AT)).contains(rust); // 1.82 is revoked
    assertThat(matcher.findFor("rust", Map.of("rust", "1.82.0"), AT)).isEmpty();
    assertThat(matcher.findFor("java", Map.of("jdk", "17.0.12"), AT)).isEmpty(); // expired by AT
    assertThat(
            matcher.findFor(
                "java", Map.of("jdk", "17.0.12"), Instant.parse("2026-02-01T00:00:00Z")))
        .contains(expired);
    assertThat(matcher.findFor("go", Map.of(), AT)).isEmpty();
  }

  @Test
  void findFor_buildJsonToolchain() {
    assertThat(matcher.findFor("rust", Optional.of("1.83.0"), AT)).contains(rust);
    assertThat(matcher.findFor("rust", Optional.of("1.83"), AT)).contains(rust);
    assertThat(matcher.findFor("rust", Optional.of("1.8"), AT))
        .isEmpty(); // not at a dot boundary of 1.83.0
    assertThat(matcher.findFor("rust", Optional.empty(), AT)).contains(rust);
    assertThat(matcher.findFor("rust", Optional.of("1.82.0"), AT)).isEmpty(); // revoked
    assertThat(matcher.findFor("c", Optional.of("12"), AT)).contains(signed);
  }

  private static Map<Integer, Bytes> pcrs(int seed, int pcr8) {
    Map<Integer, Bytes> pcrs =
        new TreeMap<>(
            Map.of(
                0,
                Fixtures.pcr(seed),
                1,
                Fixtures.pcr(seed + 1),
                2,
                Fixtures.pcr(seed + 2),
                4,
                Fixtures.pcr(0x99)));
    pcrs.put(8, pcr8 == 0 ? Bytes.of(new byte[48]) : Fixtures.pcr(pcr8));
    return pcrs;
  }

  static VerifiedRegistry verified(Registry registry) {
    return RegistryVerifier.builder()
        .keys(new JWKSet(KEY.toPublicJWK()))
        .clock(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC))
        .build()
        .verify(RegistrySigner.sign(registry, KEY).getBytes(StandardCharsets.UTF_8))
        .verifiedRegistry()
        .orElseThrow();
  }
}
