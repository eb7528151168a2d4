package dev.teec.cli.registry;

import dev.teec.truststore.registry.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code teec registry init}. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Create an empty, unsigned registry document.")
final class InitCommand extends RegistryEdit {
  @Parameters(paramLabel = "FILE", description = "The registry to create; must not exist.")
  Path file;

  @Option(
      names = "--version",
      paramLabel = "N",
      defaultValue = "1",
      description = "The first version. Default: ${DEFAULT-VALUE}.")
  long version;

  InitCommand(Clock clock) {
    super(clock);
  }

  @Override
  public Integer call() throws IOException {
    if (Files.exists(file)) {
      throw new ParameterException(spec.commandLine(), file + ": exists; refusing to overwrite");
    }
    Instant now = now();
    Duration lifetime = expiresIn != null ? expiresIn : Duration.ofDays(365);
    Registry r = build(() -> new Registry(version, now, now.plus(lifetime), List.of(), List.of()));
    return write(file, r, "created an empty registry");
  }
}
