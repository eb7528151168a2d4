package dev.teec.cli;

import dev.teec.cli.registry.RegistryContext;
import dev.teec.cli.registry.RegistryOptions;
import dev.teec.enclave.nsm.TeecHome;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.bundle.BundleVerifier;
import dev.teec.verifier.image.RegistryImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The trust options of every command that verifies bundles ({@code teec-verify bundle}, {@code teec
 * challenge ...}) on top of {@link VerificationMixin}'s document options: the simulated root and
 * the signed image registry ({@link RegistryOptions}). One place, so that the commands cannot drift
 * apart in what they trust. Commands mix in both.
 */
public final class BundleTrustMixin {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = "--simulated",
      description = {
        "Also trust the local simulated NSM's root ($TEEC_HOME/simulated-nsm/root.pem, default"
            + " ~/.teec); such bundles verify with a SIMULATED warning."
      })
  private boolean simulated;

  @Option(
      names = "--any-image",
      description = {
        "Accept bundles whose enclave image is not identified (no --registry, no --expect-pcr),"
            + " with an ANY IMAGE warning. Such a bundle proves only that some enclave built it,"
            + " and anyone can start an enclave with any code. --simulated identifies no image."
      })
  private boolean anyImage;

  private final RegistryOptions registry = new RegistryOptions();

  @Mixin private CommandSpec registryOptions = CommandModels.mixin(registry.optionSpecs());

  /**
   * A bundle verifier builder with the clock, trust anchors and document options set; callers add
   * their expectations.
   *
   * @param verification the command's document options
   * @param environment where TEEC_HOME is looked up for --simulated
   * @throws ParameterException if an option is unusable (unreadable root or policy,
   *     --expect-user-data, --any-image with a registry or pinned PCRs)
   */
  public BundleVerifier.Builder verifierBuilder(
      VerificationMixin verification, Clock clock, Map<String, String> environment) {
    VerificationOptions options = verification.options();
    if (options.policy().expectedUserData().isPresent()) {
      throw usage(
          "--expect-user-data does not apply to bundles: their user_data must be the report's SHA-384");
    }
    List<X509Certificate> anchors = new ArrayList<>(verification.trustAnchors().certificates());
    Optional<RegistryContext> context = registry.load(clock, environment);
    context.ifPresent(r -> anchors.addAll(r.extraAnchors()));
    BundleVerifier.Builder b =
        BundleVerifier.builder()
            .clock(clock)
            .trustAnchors(TrustAnchors.of(anchors))
            .options(options);
    if (anyImage) {
      if (context.isPresent()) {
        throw usage("--any-image contradicts --registry: the registry identifies the image");
      }
      if (!options.policy().expectedPcrs().isEmpty()
          || options.policy().allowedPcrSets().isPresent()) {
        throw usage("--any-image contradicts the pinned PCRs (--expect-pcr, --policy)");
      }
      b.acceptAnyImage();
    }
    context.ifPresent(
        r ->
            b.imageRegistry(
                new RegistryImages(r.verification(), registry.file().orElseThrow().toString())));
    if (simulated) {
      b.simulatedRoot(simulatedRoot(environment));
    }
    if (verification.emulated()) {
      b.acceptEmulated();
    }
    return b;
  }

  /** Whether --registry was given. */
  public boolean hasRegistry() {
    return registry.file().isPresent();
  }

  /** Whether --any-image was given: outputs that do not list bundle checks must say so. */
  public boolean anyImage() {
    return anyImage;
  }

  private X509Certificate simulatedRoot(Map<String, String> environment) {
    Path home;
    try {
      home = TeecHome.resolve(environment, System.getProperty("user.home"));
    } catch (RuntimeException e) {
      throw usage("--simulated: " + e.getMessage());
    }
    Path pem = home.resolve("simulated-nsm").resolve("root.pem");
    try (InputStream in = Files.newInputStream(pem)) {
      return TrustAnchors.readPem(in).get(0);
    } catch (IOException | CertificateException | IndexOutOfBoundsException e) {
      throw usage(
          "--simulated: no usable simulated root at "
              + pem
              + " (it is created by the first local build): "
              + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
