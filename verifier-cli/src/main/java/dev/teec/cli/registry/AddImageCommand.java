package dev.teec.cli.registry;

import dev.teec.cli.CliSupport;
import dev.teec.formats.buildspec.Language;
import dev.teec.truststore.eif.EifFormatException;
import dev.teec.truststore.eif.EifMeasurement;
import dev.teec.truststore.eif.EifReader;
import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.ImageStatus;
import dev.teec.truststore.registry.Recipe;
import dev.teec.truststore.registry.Registry;
import dev.teec.verifier.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code teec registry add-image}. */
@Command(
    name = "add-image",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Add an enclave image, with its PCRs given or measured from its EIF.")
final class AddImageCommand extends RegistryEdit {
  @Parameters(
      paramLabel = "FILE",
      description = "The registry (bare or signed); rewritten unsigned.")
  Path file;

  @Option(names = "--id", required = true, description = "Stable image id, e.g. rust-1.83-cargo.")
  String id;

  @Option(
      names = "--language",
      required = true,
      description = "The build.json language it serves, e.g. rust.")
  String language;

  @Option(
      names = "--tool",
      required = true,
      paramLabel = "NAME=VERSION",
      description = "A toolchain component and its version, e.g. rust=1.83.0. Repeatable.")
  Map<String, String> tools = new LinkedHashMap<>();

  @Option(names = "--description", required = true, description = "One line for people.")
  String description;

  @Option(
      names = "--recipe-uri",
      required = true,
      paramLabel = "URI",
      description = "Where the image's recipe lives.")
  String recipeUri;

  @Option(
      names = "--recipe-commit",
      required = true,
      paramLabel = "SHA",
      description = "The recipe's full commit id.")
  String recipeCommit;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Pcrs pcrs;

  @Option(
      names = "--valid-from",
      paramLabel = "INSTANT",
      converter = TimeConverters.InstantConverter.class,
      description = "First instant the image is trusted. Default: now.")
  Instant validFrom;

  @Option(
      names = "--valid-until",
      paramLabel = "INSTANT",
      converter = TimeConverters.InstantConverter.class,
      description = "From this instant the image is no longer trusted. Default: no end.")
  Instant validUntil;

  static final class Pcrs {
    @Option(
        names = "--eif",
        paramLabel = "FILE",
        description = "Measure PCR0, 1, 2 (and 8) from this EIF.")
    Path eif;

    @Option(
        names = "--pcr",
        paramLabel = "N=HEX",
        description = "A measured PCR (0, 1, 2 required; 8 for signed EIFs). Repeatable.")
    Map<Integer, String> values;
  }

  AddImageCommand(Clock clock) {
    super(clock);
  }

  @Override
  public Integer call() throws IOException {
    Registry old = read(file);
    if (old.image(id).isPresent()) {
      throw new ParameterException(
          spec.commandLine(), "--id " + id + ": the registry already has an image with this id");
    }
    Optional<Language> canonical = Language.fromId(language);
    if (canonical.isEmpty() || !canonical.get().id().equals(language)) {
      // Builds look images up by the canonical name; an alias or a typo would never match.
      throw new ParameterException(
          spec.commandLine(),
          "--language "
              + language
              + ": "
              + canonical
                  .map(l -> "an alias of " + l.id() + "; images name the language itself")
                  .orElse(Language.unknown(language)));
    }
    Map<Integer, Bytes> measured = pcrValues();
    Instant from = validFrom != null ? validFrom : now();
    ImageEntry image =
        build(
            () ->
                new ImageEntry(
                    id,
                    language,
                    new TreeMap<>(tools),
                    description,
                    new Recipe(recipeUri, recipeCommit),
                    new TreeMap<>(measured),
                    from,
                    Optional.ofNullable(validUntil),
                    ImageStatus.active()));
    List<ImageEntry> images = new ArrayList<>(old.images());
    images.add(image);
    return write(file, next(old, images), "added image " + id);
  }

  private Map<Integer, Bytes> pcrValues() throws IOException {
    if (pcrs.eif != null) {
      try {
        EifMeasurement m = EifReader.measure(pcrs.eif);
        if (m.signature().isPresent() && !m.signature().get().valid()) {
          throw new ParameterException(
              spec.commandLine(),
              "--eif "
                  + pcrs.eif
                  + ": the EIF's signature is invalid ("
                  + m.signature().get().detail()
                  + ")");
        }
        return m.pcrs();
      } catch (EifFormatException e) {
        throw new ParameterException(
            spec.commandLine(), "--eif " + pcrs.eif + ": " + e.getMessage());
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(), "--eif " + pcrs.eif + ": " + CliSupport.describe(e));
      }
    }
    Map<Integer, Bytes> values = new TreeMap<>();
    pcrs.values.forEach(
        (index, hex) -> {
          if (!hex.matches("[0-9a-fA-F]{96}")) {
            throw new ParameterException(
                spec.commandLine(), "--pcr " + index + ": expected 96 hex digits (SHA-384)");
          }
          values.put(index, Bytes.fromHex(hex));
        });
    return values;
  }
}
