package dev.teec.cli.registry;

import dev.teec.cli.CliFiles;
import dev.teec.truststore.registry.ExtraRoot;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistryJson;
import dev.teec.verifier.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code teec registry add-root}. */
@Command(
    name = "add-root",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Add an extra root certificate (e.g. the simulated root for local development).",
      "Verifiers honour it only when asked for it by id (teec-verify doc --registry-extra-root ID)."
    })
final class AddRootCommand extends RegistryEdit {
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

  AddRootCommand(Clock clock) {
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
    return write(file, next(old, old.images(), roots), "added extra root " + id);
  }
}
