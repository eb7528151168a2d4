package dev.teec.cli.registry;

import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.ImageStatus;
import dev.teec.truststore.registry.Registry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code teec registry revoke}. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Revoke an image: verifiers then reject documents with its PCRs, naming the reason.")
final class RevokeCommand extends RegistryEdit {
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

  RevokeCommand(Clock clock) {
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
