package dev.teec.cli.registry;

import dev.teec.cli.CliFiles;
import dev.teec.cli.CliSupport;
import dev.teec.truststore.registry.ExtraRoot;
import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.truststore.registry.RegistryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What the commands that change a registry share: the file, the clock, reading and writing. Each
 * writes the bare registry document atomically; every edit but {@code init} raises the version by
 * one and re-issues it now with the same lifetime, which invalidates every earlier signature.
 */
abstract class RegistryEdit implements Callable<Integer> {
  final Clock clock;
  @Spec CommandSpec spec;

  @Option(
      names = "--expires-in",
      paramLabel = "DURATION",
      converter = TimeConverters.DurationConverter.class,
      description =
          "Lifetime from now (ISO-8601, e.g. P365D). Default: init P365D, edits keep the lifetime.")
  Duration expiresIn;

  @Option(names = CliSupport.STACKTRACE, hidden = true)
  boolean stacktrace;

  RegistryEdit(Clock clock) {
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
    return next(old, images, old.extraRoots());
  }

  /** As {@link #next(Registry, List)}, with new extra roots. */
  Registry next(Registry old, List<ImageEntry> images, List<ExtraRoot> roots) {
    Instant now = now();
    Duration lifetime =
        expiresIn != null ? expiresIn : Duration.between(old.issuedAt(), old.expiresAt());
    return build(() -> new Registry(old.version() + 1, now, now.plus(lifetime), images, roots));
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
