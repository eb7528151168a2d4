package dev.teec.cli.registry;

import com.nimbusds.jose.jwk.ECKey;
import dev.teec.cli.CliFiles;
import dev.teec.cli.CliSupport;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.truststore.registry.RegistryJson;
import dev.teec.truststore.registry.RegistrySigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code teec registry sign}: the first signature, or one more maintainer's. */
@Command(
    name = "sign",
    description = {
      "Sign a registry with a maintainer key.",
      "A bare document becomes a signed envelope (JWS JSON); a signed envelope gets one more"
          + " signature over the same payload bytes, so maintainers sign one after another (k of n)."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class SignCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The registry, bare or already signed.")
  private Path file;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "JWK",
      description = "The maintainer's private key.")
  private Path key;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the envelope. Default: FILE itself.")
  private Path out;

  @Option(names = CliSupport.STACKTRACE, hidden = true)
  private boolean stacktrace;

  @Override
  public Integer call() throws IOException {
    ECKey signer;
    try {
      signer =
          MaintainerKeys.parsePrivate(
              new String(CliFiles.read(spec.commandLine(), "--key ", key), StandardCharsets.UTF_8));
    } catch (RegistryFormatException e) {
      throw new ParameterException(spec.commandLine(), "--key " + key + ": " + e.getMessage());
    }
    byte[] input = CliFiles.read(spec.commandLine(), "", file);
    String envelope;
    try {
      if (RegistryFiles.isEnvelope(input)) {
        envelope = RegistrySigner.addSignature(new String(input, StandardCharsets.UTF_8), signer);
      } else {
        Registry registry = RegistryJson.parse(input);
        envelope = RegistrySigner.sign(registry, signer);
      }
    } catch (RegistryFormatException e) {
      throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage());
    }
    Path target = out != null ? out : file;
    CliFiles.writeAtomically(target, (envelope + "\n").getBytes(StandardCharsets.UTF_8), false);
    spec.commandLine()
        .getOut()
        .println("signed with key '" + signer.getKeyID() + "'; wrote " + target);
    spec.commandLine().getOut().flush();
    return CliSupport.OK;
  }
}
