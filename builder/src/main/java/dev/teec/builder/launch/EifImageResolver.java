package dev.teec.builder.launch;

import dev.teec.formats.buildspec.BuildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The image given with {@code --eif}, whatever the language: its PCRs come from {@code nitro-cli
 * describe-eif}, so the attestation is checked against the file that was started. That the image
 * suits the build's language is the user's responsibility here (a registry records it).
 */
public final class EifImageResolver implements ImageResolver {
  private final Path eif;
  private final NitroCli cli;

  /**
   * @param eif the image file
   * @param cli nitro-cli, for its measurements
   */
  public EifImageResolver(Path eif, NitroCli cli) {
    this.eif = Objects.requireNonNull(eif, "eif");
    this.cli = Objects.requireNonNull(cli, "cli");
  }

  @Override
  public ImageChoice resolve(BuildSpec spec) throws LaunchException, InterruptedException {
    if (!Files.isRegularFile(eif)) {
      throw new LaunchException(eif + ": no such enclave image file");
    }
    return new ImageChoice(
        eif, cli.describeEif(eif), eif + " (--eif, for language " + spec.language().id() + ")");
  }
}
