package dev.teec.cli.bundle;

import com.nimbusds.jose.jwk.ECKey;
import dev.teec.cli.CliFiles;
import dev.teec.cli.CliSupport;
import dev.teec.digest.Digests;
import dev.teec.formats.bundle.BundleFormatException;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.formats.files.FileTrees;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.verifier.vote.OperatorSignature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code teec bundle sign BUNDLE --key JWK}: the operator signature of a bundle (SPEC.md C6, C7), a
 * detached JWS over the SHA-384 of the bundle's report, written next to it. The bundle itself is
 * not changed.
 */
@Command(
    name = "sign",
    description = {
      "Sign a bundle as its builder's operator, for teec challenge vote --builders.",
      "Writes BUNDLE"
          + OperatorSignature.FILE_SUFFIX
          + ": a JWS (ES384) over the SHA-384 of the bundle's attested report. The bundle is read"
          + " strictly and must be consistent; it is not changed."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false,
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:signed",
      "1:the file is not a valid bundle",
      "2:usage error: unreadable bundle or key, not a private EC P-384 key, or the signature file"
          + " exists",
      CliSupport.EXIT_INTERNAL
    })
final class BundleSignCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "BUNDLE", description = "The bundle (tar) to sign.")
  private Path bundle;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "JWK",
      description =
          "The operator's private key (EC P-384 JWK with a kid, as teec registry keygen writes).")
  private Path key;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the signature. Default: BUNDLE" + OperatorSignature.FILE_SUFFIX)
  private Path out;

  @Option(names = CliSupport.STACKTRACE, hidden = true)
  private boolean stacktrace;

  @Override
  public Integer call() throws IOException {
    ECKey signer = readKey();
    if (!Files.isRegularFile(bundle)) {
      throw usage(bundle + ": no such file");
    }
    Path target = out != null ? out : OperatorSignature.fileFor(bundle);
    if (Files.exists(target)) {
      throw usage(
          target + " exists; remove it first or give --out (a signature is never overwritten)");
    }
    String reportSha384;
    Path extract = Files.createTempDirectory("teec-sign-");
    try {
      ReadBundle read = new BundleReader(BundleLimits.defaults()).read(bundle, extract);
      read.checkConsistency();
      reportSha384 = Digests.sha384Hex(read.reportJson());
    } catch (BundleFormatException e) {
      spec.commandLine()
          .getErr()
          .println("teec bundle sign: " + bundle + " is not a valid bundle: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return CliSupport.REJECTED;
    } finally {
      FileTrees.delete(extract);
    }
    String jws = OperatorSignature.sign(reportSha384, signer);
    CliFiles.writeAtomically(target, (jws + "\n").getBytes(StandardCharsets.US_ASCII), false);
    spec.commandLine()
        .getOut()
        .println(
            "signed "
                + bundle
                + " (report SHA-384 "
                + reportSha384
                + ") with operator key '"
                + signer.getKeyID()
                + "'; wrote "
                + target);
    spec.commandLine().getOut().flush();
    return CliSupport.OK;
  }

  private ECKey readKey() {
    byte[] jwk = CliFiles.read(spec.commandLine(), "--key ", key);
    try {
      return MaintainerKeys.parsePrivate(new String(jwk, StandardCharsets.UTF_8));
    } catch (RegistryFormatException e) {
      throw usage("--key " + key + ": " + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
