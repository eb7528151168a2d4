package dev.teec.builder.launch;

import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.truststore.eif.EifFormatException;
import dev.teec.truststore.eif.EifMeasurement;
import dev.teec.truststore.eif.EifReader;
import dev.teec.truststore.image.ImageMatcher;
import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.VerifiedRegistry;
import dev.teec.verifier.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Chooses the image from a verified registry (SPEC.md B5, R4): the active image for build.json's
 * language and toolchain, then the EIF file in a directory whose measurements are that entry's
 * PCRs. The registry says which image to trust; the file is only found by its measurements, so a
 * renamed or swapped file is never started by mistake.
 */
public final class RegistryImageResolver implements ImageResolver {
  private final VerifiedRegistry registry;
  private final String registryName;
  private final Path eifDirectory;
  private final Clock clock;

  /**
   * @param registry a registry whose signatures, validity and version were verified
   * @param registryName how to name the registry in messages (its file)
   * @param eifDirectory where the image files are looked for ({@code *.eif})
   * @param clock the time at which the image must be valid
   */
  public RegistryImageResolver(
      VerifiedRegistry registry, String registryName, Path eifDirectory, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.registryName = Objects.requireNonNull(registryName, "registryName");
    this.eifDirectory = Objects.requireNonNull(eifDirectory, "eifDirectory");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public ImageChoice resolve(BuildSpec spec) throws LaunchException {
    String language = spec.language().id();
    ImageEntry image =
        new ImageMatcher(registry)
            .findFor(language, spec.toolchain(), clock.instant())
            .orElseThrow(
                () ->
                    new LaunchException(
                        "registry "
                            + registryName
                            + " (version "
                            + registry.registry().version()
                            + ") has no active image for language "
                            + language
                            + spec.toolchain().map(t -> " with toolchain " + t).orElse("")));
    List<String> measured = new ArrayList<>();
    for (Path eif : candidates()) {
      EifMeasurement m;
      try {
        m = EifReader.measure(eif);
      } catch (EifFormatException | IOException e) {
        measured.add(eif.getFileName() + " (unreadable: " + e.getMessage() + ")");
        continue;
      }
      if (matches(image, m)) {
        Map<Integer, String> pcrs = new TreeMap<>();
        image.pcrs().forEach((index, value) -> pcrs.put(index, value.hex()));
        return new ImageChoice(
            eif,
            pcrs,
            "registry image "
                + image.id()
                + " ("
                + registryName
                + ", version "
                + registry.registry().version()
                + "): "
                + eif);
      }
      measured.add(eif.getFileName() + " (PCR0 " + m.pcr0().hex().substring(0, 16) + "...)");
    }
    throw new LaunchException(
        "no EIF in "
            + eifDirectory
            + " has the measurements of registry image "
            + image.id()
            + " (PCR0 "
            + image.pcrs().get(0).hex()
            + ")"
            + (measured.isEmpty()
                ? "; the directory has no .eif files"
                : "; found: " + String.join(", ", measured))
            + ". Build it from its recipe ("
            + image.recipe().uri()
            + " @ "
            + image.recipe().commit()
            + ") or pass --eif");
  }

  private List<Path> candidates() throws LaunchException {
    if (!Files.isDirectory(eifDirectory)) {
      throw new LaunchException("the EIF directory " + eifDirectory + " does not exist");
    }
    try (Stream<Path> files = Files.list(eifDirectory)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".eif") && Files.isRegularFile(f))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new LaunchException("cannot list " + eifDirectory + ": " + e.getMessage(), e);
    }
  }

  /** Every PCR the entry pins (0, 1, 2, and 8 for signed images) equals the file's. */
  private static boolean matches(ImageEntry image, EifMeasurement m) {
    for (Map.Entry<Integer, Bytes> pin : image.pcrs().entrySet()) {
      Optional<Bytes> actual =
          switch (pin.getKey()) {
            case 0 -> Optional.of(m.pcr0());
            case 1 -> Optional.of(m.pcr1());
            case 2 -> Optional.of(m.pcr2());
            case 8 -> m.pcr8();
            default -> Optional.empty();
          };
      if (actual.isEmpty() || !actual.get().equals(pin.getValue())) {
        return false;
      }
    }
    return true;
  }
}
