package dev.teec.cli.build;

import dev.teec.builder.egress.HostEgress;
import dev.teec.builder.launch.EifImageResolver;
import dev.teec.builder.launch.ImageChoice;
import dev.teec.builder.launch.ImageResolver;
import dev.teec.builder.launch.LaunchException;
import dev.teec.builder.launch.NitroCli;
import dev.teec.builder.launch.NitroLauncher;
import dev.teec.builder.launch.NitroSettings;
import dev.teec.builder.launch.RegistryImageResolver;
import dev.teec.cli.CliSupport;
import dev.teec.cli.CommandModels;
import dev.teec.cli.registry.RegistryContext;
import dev.teec.cli.registry.RegistryOptions;
import dev.teec.enclave.protocol.egress.EgressAllowlist;
import dev.teec.enclave.protocol.egress.TcpUpstreamConnector;
import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.formats.buildspec.Language;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of every command that starts a build enclave ({@code teec build}, {@code teec
 * challenge reproduce}): the image ({@code --eif}, or {@code --registry} with {@code --eif-dir}),
 * the enclave's resources and CID, the egress allowlist and ports, and nitro-cli. One place for
 * their declaration, their checks and the {@link NitroLauncher} they describe, so that a rebuild
 * starts its enclave exactly as the build did. Debug mode is not here: only {@code teec build}
 * offers it, and the caller says whether it was asked for.
 *
 * <p>Call {@link #check} before anything is packed or started (its errors are usage errors), then
 * {@link #launcher}.
 */
public final class NitroOptions {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = "--eif",
      paramLabel = "PATH",
      description = "nitro: the enclave image file to start.")
  private Path eif;

  private final RegistryOptions registry = new RegistryOptions();

  @Mixin private CommandSpec registryOptions = CommandModels.mixin(registry.optionSpecs());

  @Option(
      names = "--eif-dir",
      paramLabel = "DIR",
      description =
          "nitro with --registry: where the image files are found, by their measurements"
              + " (default: $TEEC_HOME/images).")
  private Path eifDir;

  @Option(
      names = "--cpu-count",
      paramLabel = "N",
      defaultValue = "2",
      description = "nitro: vCPUs for the enclave (default: ${DEFAULT-VALUE}).")
  private int cpuCount;

  @Option(
      names = "--memory",
      paramLabel = "MIB",
      defaultValue = "4096",
      description = "nitro: enclave memory in MiB (default: ${DEFAULT-VALUE}).")
  private long memoryMib;

  @Option(
      names = "--enclave-cid",
      paramLabel = "CID",
      description = "nitro: the enclave's vsock CID (default: chosen by nitro-cli).")
  private Long enclaveCid;

  @Option(
      names = "--allow-host",
      paramLabel = "HOST",
      description =
          "nitro: let the enclave reach HOST (ports 443 and 80) besides the language's package"
              + " registries. Repeatable.")
  private List<String> allowHosts = new ArrayList<>();

  @Option(
      names = "--egress-port",
      paramLabel = "PORT",
      defaultValue = "8001",
      description =
          "nitro: the vsock port of the host egress forwarder (default: ${DEFAULT-VALUE}).")
  private long egressPort;

  @Option(
      names = "--worker-port",
      paramLabel = "PORT",
      defaultValue = "5000",
      description =
          "nitro: the vsock port the worker listens on in the enclave (default: ${DEFAULT-VALUE}).")
  private long workerPort;

  @Option(
      names = "--nitro-cli",
      paramLabel = "PATH",
      description = "nitro: the nitro-cli executable (default: nitro-cli from PATH).")
  private String nitroCli;

  private RegistryContext registryContext;

  /**
   * Checks the options for the chosen mode; in nitro mode also reads and verifies the registry, so
   * that its problems are usage errors too. Outside nitro mode the image options are refused. In
   * emulated mode (SPEC E5) nitro-cli is the stand-in, so {@code --nitro-cli} is refused, and the
   * image may be left out (the platform's default image for the build's language is used).
   *
   * @param nitro whether the command runs in nitro mode (emulated or not)
   * @param emulated whether it is the emulated nitro mode
   * @param whyLocal appended to the refusal of image options outside nitro mode (e.g. why auto
   *     chose local mode), or empty
   * @param environment where TEEC_HOME is looked up (the registry's version store)
   * @throws ParameterException naming the first problem
   */
  public void check(
      boolean nitro,
      boolean emulated,
      String whyLocal,
      Clock clock,
      Map<String, String> environment) {
    if (emulated && nitroCli != null) {
      throw usage(
          "--nitro-cli does not apply to --mode emulated: its nitro-cli is the stand-in 'teec"
              + " emulator nitro-cli', run in this process");
    }
    if (nitro) {
      if (eif != null && registry.file().isPresent()
          || !emulated && eif == null && registry.file().isEmpty()) {
        throw CliSupport.usage(
            mixee.commandLine(),
            "nitro mode needs the enclave image: either --eif PATH or --registry FILE --registry-keys"
                + " JWKS",
            "run with --registry FILE --registry-keys JWKS to choose the image from a signed"
                + " registry, or --eif PATH to name it");
      }
      if (eifDir != null && eif != null) {
        throw usage("--eif-dir applies to --registry only");
      }
      registryContext = registry.load(clock, environment).orElse(null);
      if (registryContext != null && !registryContext.extraAnchors().isEmpty()) {
        throw usage(
            "--registry-extra-root applies to verification, not to " + mixee.qualifiedName(" "));
      }
    } else {
      if (registry.file().isPresent() || eifDir != null) {
        throw usage("--registry and --eif-dir apply to nitro mode only" + whyLocal);
      }
      if (eif != null) {
        throw usage("--eif applies to nitro mode only" + whyLocal);
      }
    }
    if (egressPort < 1
        || egressPort > 0xFFFF_FFFEL
        || workerPort < 1
        || workerPort > 0xFFFF_FFFEL) {
      throw usage("--egress-port and --worker-port must be vsock ports (1..4294967294)");
    }
    try {
      // Validated here so that a bad host is a usage error, not a failure after the source is
      // packed.
      allowHosts.forEach(h -> HostEgress.allowlist(Language.C, List.of(h)));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (cpuCount < 1 || memoryMib < 64) {
      throw usage("--cpu-count must be at least 1 and --memory at least 64 (MiB)");
    }
    if (enclaveCid != null && (enclaveCid < 4 || enclaveCid > 0xFFFF_FFFEL)) {
      throw usage("--enclave-cid must be in 4..4294967294");
    }
    if (nitro && eif != null && !Files.isRegularFile(eif)) {
      throw usage("--eif " + eif + ": no such file");
    }
  }

  /**
   * The launcher for a build of {@code spec}: resolves the image (its PCRs from {@code
   * describe-eif}, or the registry's active image for the language and toolchain, found in {@code
   * --eif-dir} by its measurements) and sets up the egress forwarder with the language's registry
   * hosts and every {@code --allow-host}. Both decisions are told to {@code notes}. Call after
   * {@link #check} in nitro mode.
   *
   * @param teecHome where the default {@code --eif-dir} ({@code images}) is
   * @param debug start the enclave in debug mode (all-zero PCRs; only {@code teec build} offers it)
   * @throws LaunchException when no image can be chosen (none matches, the registry did not verify)
   */
  public NitroLauncher launcher(
      BuildSpec spec,
      Path teecHome,
      boolean debug,
      Clock clock,
      NitroPlatform platform,
      Consumer<String> notes)
      throws LaunchException, InterruptedException {
    // The emulated platform runs its stand-in in this process; the name is what hints tell people.
    NitroCli cli =
        new NitroCli(
            platform.emulated()
                ? "teec emulator nitro-cli"
                : nitroCli == null ? "nitro-cli" : nitroCli,
            platform.commands());
    ImageResolver resolver =
        eif == null && registryContext == null
            ? platform
                .defaultImages()
                .orElseThrow(
                    () -> new IllegalStateException("check() requires --eif or --registry"))
            : imageResolver(cli, teecHome, clock);
    ImageChoice image = resolver.resolve(spec);
    notes.accept("enclave image: " + image.description());
    if (registryContext != null) {
      registryContext.warnings().forEach(w -> notes.accept("registry: " + w));
    }
    EgressAllowlist allowlist = HostEgress.allowlist(spec.language(), allowHosts);
    notes.accept("egress allowlist: " + HostEgress.describe(allowlist));
    return new NitroLauncher(
        cli,
        new NitroSettings(
            image.eif(),
            image.pcrs(),
            cpuCount,
            memoryMib,
            enclaveCid == null ? OptionalLong.empty() : OptionalLong.of(enclaveCid),
            debug,
            workerPort,
            // Under QEMU without KVM the guest takes one to two minutes to boot (SPEC E3).
            Duration.ofMinutes(platform.emulated() ? 10 : 3),
            Duration.ofMillis(500)),
        platform.vsock(),
        (cid, forwarderNotes) ->
            HostEgress.start(
                platform.egress().listen(cid, egressPort),
                allowlist,
                TcpUpstreamConnector.publicInternet(),
                forwarderNotes),
        platform.emulated());
  }

  /**
   * Where the image comes from: the file given with {@code --eif}, or the registry's active image
   * for this language and toolchain, found among the EIFs of {@code --eif-dir} by its measurements.
   */
  private ImageResolver imageResolver(NitroCli cli, Path teecHome, Clock clock)
      throws LaunchException {
    if (eif != null) {
      return new EifImageResolver(eif.toAbsolutePath().normalize(), cli);
    }
    RegistryContext context =
        Objects.requireNonNull(registryContext, "check(true, ...) loads the registry first");
    var verified =
        context
            .verification()
            .verifiedRegistry()
            .orElseThrow(
                () ->
                    new LaunchException(
                        "the registry "
                            + registry.file().orElseThrow()
                            + " did not verify: "
                            + context.verification().failures().stream()
                                .map(c -> c.id() + ": " + c.detail())
                                .collect(Collectors.joining("; "))));
    return new RegistryImageResolver(
        verified,
        registry.file().orElseThrow().toString(),
        eifDir != null ? eifDir.toAbsolutePath().normalize() : teecHome.resolve("images"),
        clock);
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
