package dev.teec.builder.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.truststore.eif.EifMeasurement;
import dev.teec.truststore.eif.EifReader;
import dev.teec.truststore.eif.EifWriter;
import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.ImageStatus;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.truststore.registry.Recipe;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistrySigner;
import dev.teec.truststore.registry.RegistryVerifier;
import dev.teec.truststore.registry.VerifiedRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Picking the enclave image from a verified registry and finding its EIF by measurement. */
class RegistryImageResolverTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final ECKey KEY = MaintainerKeys.generate("alice");
  static final String RUST =
      "{\"language\":\"rust\",\"toolchain\":\"1.83\",\"input\":{\"cmd\":\"cargo build\"},"
          + "\"output\":{\"files\":[\"target/debug/x\"]}}";

  @TempDir Path dir;

  @Test
  void picksTheActiveImageForTheLanguage_andFindsItsFileByMeasurement() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    Path wanted = eif(images.resolve("b-rust.eif"), "rust ramdisk");
    eif(images.resolve("a-other.eif"), "another ramdisk");
    Files.writeString(images.resolve("c-broken.eif"), "not an eif");
    EifMeasurement m = EifReader.measure(wanted);

    ImageChoice choice =
        resolver(images, image("rust-1.83", "rust", "1.83.0", m)).resolve(spec(RUST));

    assertThat(choice.eif()).isEqualTo(wanted);
    assertThat(choice.pcrs())
        .containsEntry(0, m.pcr0().hex())
        .containsEntry(1, m.pcr1().hex())
        .containsEntry(2, m.pcr2().hex());
    assertThat(choice.description()).contains("registry image rust-1.83", "version 7");
  }

  @Test
  void noFileWithTheMeasurements_saysWhatWasFoundAndWhereTheRecipeIs() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    EifMeasurement m = EifReader.measure(eif(dir.resolve("elsewhere.eif"), "rust ramdisk"));
    eif(images.resolve("other.eif"), "another ramdisk");

    assertThatThrownBy(
            () -> resolver(images, image("rust-1.83", "rust", "1.83.0", m)).resolve(spec(RUST)))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("no EIF in " + images)
        .hasMessageContaining("registry image rust-1.83 (PCR0 " + m.pcr0().hex() + ")")
        .hasMessageContaining("found: other.eif (PCR0 ")
        .hasMessageContaining("https://example.org/images @ ");
  }

  @Test
  void noImageForTheLanguageOrToolchain_isRefused() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    EifMeasurement m = EifReader.measure(eif(images.resolve("rust.eif"), "rust ramdisk"));
    RegistryImageResolver older = resolver(images, image("rust-1.82", "rust", "1.82.0", m));
    assertThatThrownBy(() -> older.resolve(spec(RUST)))
        .hasMessageContaining("has no active image for language rust with toolchain 1.83");
    RegistryImageResolver c = resolver(images, image("c-gcc", "c", "12.2.0", m));
    assertThatThrownBy(() -> c.resolve(spec(RUST)))
        .hasMessageContaining("no active image for language rust");
  }

  private RegistryImageResolver resolver(Path images, ImageEntry image) throws Exception {
    Registry r =
        new Registry(7, NOW.minusSeconds(3600), NOW.plusSeconds(86400), List.of(image), List.of());
    VerifiedRegistry verified =
        RegistryVerifier.builder()
            .keys(new JWKSet(KEY.toPublicJWK()))
            .clock(CLOCK)
            .build()
            .verify(RegistrySigner.sign(r, KEY).getBytes(StandardCharsets.UTF_8))
            .verifiedRegistry()
            .orElseThrow();
    return new RegistryImageResolver(verified, "test-registry.json", images, CLOCK);
  }

  private static ImageEntry image(String id, String language, String version, EifMeasurement m) {
    return new ImageEntry(
        id,
        language,
        new TreeMap<>(Map.of(language, version)),
        "builder",
        new Recipe("https://example.org/images", "0123456789abcdef0123456789abcdef01234567"),
        new TreeMap<>(Map.of(0, m.pcr0(), 1, m.pcr1(), 2, m.pcr2())),
        NOW.minusSeconds(86400),
        Optional.empty(),
        ImageStatus.active());
  }

  private Path eif(Path file, String ramdisk) throws Exception {
    Path kernel = Files.writeString(dir.resolve("kernel-" + file.getFileName()), "kernel");
    Path disk = Files.writeString(dir.resolve("ramdisk-" + file.getFileName()), ramdisk);
    EifWriter.builder()
        .kernel(kernel)
        .cmdline("console=ttyS0")
        .addRamdisk(disk)
        .addRamdisk(disk)
        .build()
        .write(file);
    return file;
  }

  private static BuildSpec spec(String json) throws Exception {
    return BuildSpec.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
