package dev.teec.cli.registry;

import dev.teec.cli.CliFiles;
import dev.teec.cli.CliSupport;
import dev.teec.formats.buildspec.Language;
import dev.teec.truststore.eif.EifFormatException;
import dev.teec.truststore.eif.EifMeasurement;
import dev.teec.truststore.eif.EifReader;
import dev.teec.truststore.registry.ExtraRoot;
import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.ImageStatus;
import dev.teec.truststore.registry.Recipe;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.truststore.registry.RegistryJson;
import dev.teec.verifier.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The commands that change a registry: {@code init}, {@code add-image}, {@code revoke}. Each writes
 * the bare registry document atomically; {@code add-image} and {@code revoke} raise the version by
 * one and re-issue it now with the same lifetime, which invalidates every earlier signature.
 */
final class EditCommands {
  private EditCommands() {}

  /** Shared plumbing: the file, the clock, reading and writing. */
  abstract static class Edit implements Callable<Integer> {
    final Clock clock;
    @Spec CommandSpec spec;

    @Option(
        names = "--expires-in",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description =
            "Lifetime from now (ISO-8601, e.g. P365D). Default: init P365D, edits keep the lifetime.")
    Duration expiresIn;

    @Option(names = CliSupport.STACKTRACE, hidden = true)
    boolean stacktrace;

    Edit(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Now, to the second: registry times are for people and need no nanoseconds. */
    Instant now() {
      return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    Registry read(Path file) {
      try {
        return RegistryFiles.payload(CliFiles.read(spec.commandLine(), "", file));
      } catch (RegistryFormatException e) {
        throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage());
      }
    }

    /**
     * The next version of {@code old}: version + 1, issued now, with the same (or the given)
     * lifetime.
     */
    Registry next(Registry old, List<ImageEntry> images) {
      Instant now = now();
      Duration lifetime =
          expiresIn != null ? expiresIn : Duration.between(old.issuedAt(), old.expiresAt());
      return build(
          () -> new Registry(old.version() + 1, now, now.plus(lifetime), images, old.extraRoots()));
    }

    int write(Path file, Registry registry, String what) throws IOException {
      CliFiles.writeAtomically(file, RegistryJson.serialize(registry), false);
      spec.commandLine()
          .getOut()
          .println(
              what
                  + "; wrote version "
                  + registry.version()
                  + " to "
                  + file
                  + " (unsigned: sign it with 'teec registry sign')");
      spec.commandLine().getOut().flush();
      return CliSupport.OK;
    }

    <T> T build(Supplier<T> make) {
      try {
        return make.get();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  /** {@code teec registry init}. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Create an empty, unsigned registry document.")
  static final class Init extends Edit {
    @Parameters(paramLabel = "FILE", description = "The registry to create; must not exist.")
    Path file;

    @Option(
        names = "--version",
        paramLabel = "N",
        defaultValue = "1",
        description = "The first version. Default: ${DEFAULT-VALUE}.")
    long version;

    Init(Clock clock) {
      super(clock);
    }

    @Override
    public Integer call() throws IOException {
      if (Files.exists(file)) {
        throw new ParameterException(spec.commandLine(), file + ": exists; refusing to overwrite");
      }
      Instant now = now();
      Duration lifetime = expiresIn != null ? expiresIn : Duration.ofDays(365);
      Registry r =
          build(() -> new Registry(version, now, now.plus(lifetime), List.of(), List.of()));
      return write(file, r, "created an empty registry");
    }
  }

  /** {@code teec registry add-image}. */
  @Command(
      name = "add-image",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Add an enclave image, with its PCRs given or measured from its EIF.")
  static final class AddImage extends Edit {
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
        converter = InstantConverter.class,
        description = "First instant the image is trusted. Default: now.")
    Instant validFrom;

    @Option(
        names = "--valid-until",
        paramLabel = "INSTANT",
        converter = InstantConverter.class,
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

    AddImage(Clock clock) {
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

  /** {@code teec registry revoke}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Revoke an image: verifiers then reject documents with its PCRs, naming the reason.")
  static final class Revoke extends Edit {
    @Parameters(
        paramLabel = "FILE",
        description = "The registry (bare or signed); rewritten unsigned.")
    Path file;

    @Option(names = "--id", required = true, description = "The image to revoke.")
    String id;

    @Option(
        names = "--reason",
        required = true,
        description = "Why, for the people whose verification now fails.")
    String reason;

    Revoke(Clock clock) {
      super(clock);
    }

    @Override
    public Integer call() throws IOException {
      Registry old = read(file);
      ImageEntry image =
          old.image(id)
              .orElseThrow(
                  () ->
                      new ParameterException(
                          spec.commandLine(), "--id " + id + ": no such image in " + file));
      if (image.status().revoked()) {
        throw new ParameterException(spec.commandLine(), "--id " + id + ": already revoked");
      }
      ImageStatus revoked = build(() -> ImageStatus.revoked(reason, now()));
      List<ImageEntry> images =
          old.images().stream().map(i -> i.id().equals(id) ? i.withStatus(revoked) : i).toList();
      return write(file, next(old, images), "revoked image " + id);
    }
  }

  /** {@code teec registry add-root}. */
  @Command(
      name = "add-root",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Add an extra root certificate (e.g. the simulated root for local development).",
        "Verifiers honour it only when asked for it by id (teec-verify doc --registry-extra-root ID)."
      })
  static final class AddRoot extends Edit {
    @Parameters(
        paramLabel = "FILE",
        description = "The registry (bare or signed); rewritten unsigned.")
    Path file;

    @Option(
        names = "--id",
        required = true,
        description = "Stable root id, e.g. teec-simulated-root.")
    String id;

    @Option(
        names = "--description",
        required = true,
        description = "Why it exists and when to honour it.")
    String description;

    @Option(
        names = "--certificate",
        required = true,
        paramLabel = "PEM",
        description = "The root certificate.")
    Path certificate;

    AddRoot(Clock clock) {
      super(clock);
    }

    @Override
    public Integer call() throws IOException {
      Registry old = read(file);
      if (old.extraRoot(id).isPresent()) {
        throw new ParameterException(
            spec.commandLine(), "--id " + id + ": the registry already has a root with this id");
      }
      Bytes der;
      try {
        der =
            RegistryJson.certificateDer(
                CliFiles.read(spec.commandLine(), "--certificate ", certificate));
      } catch (CertificateException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--certificate " + certificate + ": not a certificate (" + e.getMessage() + ")");
      }
      List<ExtraRoot> roots = new ArrayList<>(old.extraRoots());
      roots.add(build(() -> new ExtraRoot(id, description, der)));
      Instant now = now();
      Duration lifetime =
          expiresIn != null ? expiresIn : Duration.between(old.issuedAt(), old.expiresAt());
      Registry next =
          build(
              () -> new Registry(old.version() + 1, now, now.plus(lifetime), old.images(), roots));
      return write(file, next, "added extra root " + id);
    }
  }

  /** {@code teec registry renew}. */
  @Command(
      name = "renew",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Issue the next version with the same content, to extend the registry's expiry.")
  static final class Renew extends Edit {
    @Parameters(
        paramLabel = "FILE",
        description = "The registry (bare or signed); rewritten unsigned.")
    Path file;

    Renew(Clock clock) {
      super(clock);
    }

    @Override
    public Integer call() throws IOException {
      Registry old = read(file);
      return write(file, next(old, old.images()), "renewed");
    }
  }

  /** An ISO-8601 instant such as {@code 2026-01-01T00:00:00Z}. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
      }
    }
  }

  /** A positive ISO-8601 duration such as {@code P365D}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration d = Duration.parse(value);
        if (d.isNegative() || d.isZero()) {
          throw new TypeConversionException("'" + value + "' is not positive");
        }
        return d;
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 duration such as P365D");
      }
    }
  }
}
