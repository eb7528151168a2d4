package dev.teec.cli.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.teec.cli.CliFiles;
import dev.teec.cli.CliSupport;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.truststore.registry.RegistryFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code teec registry keygen}: a new maintainer key pair. */
@Command(
    name = "keygen",
    description = {
      "Generate a maintainer signing key (EC P-384, ES384).",
      "The private JWK is written with mode 0600 and never overwritten; the public key is added to"
          + " the JWK set verifiers pin (created if absent)."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class KeygenCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--kid",
      required = true,
      paramLabel = "ID",
      description = "Key id, e.g. the maintainer's handle.")
  private String kid;

  @Option(
      names = "--private",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the private JWK. Keep it out of any repository.")
  private Path privateFile;

  @Option(
      names = "--public-set",
      paramLabel = "JWKS",
      description = "Add the public key to this JWK set (the file verifiers pin).")
  private Path publicSet;

  @Option(names = "--json", description = "Print the public key as JSON.")
  private boolean json;

  @Option(names = CliSupport.STACKTRACE, hidden = true)
  private boolean stacktrace;

  @Override
  public Integer call() throws IOException, JOSEException {
    if (Files.exists(privateFile)) {
      throw new ParameterException(
          spec.commandLine(), "--private " + privateFile + ": exists; refusing to overwrite a key");
    }
    ECKey key;
    try {
      key = MaintainerKeys.generate(kid);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--kid: " + e.getMessage());
    }
    byte[] newSet = null;
    if (publicSet != null) {
      List<JWK> keys = new ArrayList<>();
      if (Files.exists(publicSet)) {
        try {
          keys.addAll(
              MaintainerKeys.parsePublicSet(
                      new String(
                          CliFiles.read(spec.commandLine(), "--public-set ", publicSet),
                          StandardCharsets.UTF_8))
                  .getKeys());
        } catch (RegistryFormatException e) {
          throw new ParameterException(
              spec.commandLine(), "--public-set " + publicSet + ": " + e.getMessage());
        }
      }
      if (keys.stream().anyMatch(k -> kid.equals(k.getKeyID()))) {
        throw new ParameterException(
            spec.commandLine(), "--public-set " + publicSet + " already has a key '" + kid + "'");
      }
      keys.add(key.toPublicJWK());
      ObjectMapper m = new ObjectMapper();
      newSet =
          m.writerWithDefaultPrettyPrinter()
              .writeValueAsBytes(m.readTree(new JWKSet(keys).toString(true)));
    }
    CliFiles.writeAtomically(
        privateFile, (key.toJSONString() + "\n").getBytes(StandardCharsets.UTF_8), true);
    if (newSet != null) {
      byte[] withNewline = new byte[newSet.length + 1];
      System.arraycopy(newSet, 0, withNewline, 0, newSet.length);
      withNewline[newSet.length] = '\n';
      CliFiles.writeAtomically(publicSet, withNewline, false);
    }
    PrintWriter out = spec.commandLine().getOut();
    String thumbprint = key.computeThumbprint().toString();
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("kid", kid);
      n.put("thumbprint", thumbprint);
      n.set("publicKey", new ObjectMapper().readTree(key.toPublicJWK().toJSONString()));
      out.println(n);
    } else {
      out.println(
          "wrote private key '" + kid + "' to " + privateFile + " (mode 0600; keep it secret)");
      out.println("public key thumbprint (SHA-256): " + thumbprint);
      if (publicSet != null) {
        out.println("added the public key to " + publicSet);
      }
    }
    out.flush();
    return CliSupport.OK;
  }
}
