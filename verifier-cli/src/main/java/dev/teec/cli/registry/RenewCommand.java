package dev.teec.cli.registry;

import dev.teec.truststore.registry.Registry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code teec registry renew}. */
@Command(
    name = "renew",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Issue the next version with the same content, to extend the registry's expiry.")
final class RenewCommand extends RegistryEdit {
  @Parameters(
      paramLabel = "FILE",
      description = "The registry (bare or signed); rewritten unsigned.")
  Path file;

  RenewCommand(Clock clock) {
    super(clock);
  }

  @Override
  public Integer call() throws IOException {
    Registry old = read(file);
    return write(file, next(old, old.images()), "renewed");
  }
}
