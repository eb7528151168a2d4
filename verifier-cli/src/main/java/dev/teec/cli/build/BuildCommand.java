package dev.teec.cli.build;

import dev.teec.builder.client.BuildClient;
import dev.teec.builder.client.BuildException;
import dev.teec.builder.client.BuildPlan;
import dev.teec.builder.client.BuildSummary;
import dev.teec.builder.client.FailureCode;
import dev.teec.builder.client.TrustRoots;
import dev.teec.builder.launch.EarlyLauncher;
import dev.teec.builder.launch.EnclaveLauncher;
import dev.teec.builder.launch.LaunchException;
import dev.teec.builder.launch.LocalWorkerLauncher;
import dev.teec.builder.launch.LocalWorkerSettings;
import dev.teec.builder.launch.NitroLauncher;
import dev.teec.builder.progress.Progress;
import dev.teec.builder.progress.TerminalProgress;
import dev.teec.builder.source.PackedSource;
import dev.teec.builder.source.SelectedSource;
import dev.teec.builder.source.SourceException;
import dev.teec.builder.source.SourcePacker;
import dev.teec.builder.source.SourceSelector;
import dev.teec.builder.toolchain.ToolchainResolver.LocalToolchain;
import dev.teec.cli.CliSupport;
import dev.teec.cli.emulator.EmulatedPlatform;
import dev.teec.enclave.nsm.TeecHome;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.formats.buildspec.BuildSpecException;
import dev.teec.formats.files.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code teec build [DIR]}: builds the project in DIR in a Nitro Enclave (or a local worker with a
 * simulated NSM) and writes the attested bundle, after checking it.
 *
 * <p>With {@code --json}, stdout carries exactly one JSON object (progress goes to stderr):
 *
 * <pre>
 * {"status": "ok" | "failed",                      required
 *  "failure": "BUILD_FAILED" | ... | null,          required, a FailureCode when failed
 *  "message": "...",                                required
 *  "mode": "nitro" | "emulated" | "local",          required
 *  "bundle": "/abs/path.tar" | null,                required; null when failed
 *  "bundle_sha256", "bundle_size", "simulated", "emulated", "debug_enclave", "worker", "worker_name", "nonce",
 *  "report_sha384", "source": {"archive_sha256", "archive_size", "files", "commit", "tree", "dirty", "uri"},
 *  "subjects": {"name": "sha256"}}                  present when ok
 * </pre>
 */
@Command(
    name = "build",
    description = {
      "Build the project in DIR in a Nitro Enclave (or locally, simulated) and write the attested bundle.",
      "build.json sits at DIR's root. The bundle is written only after its attestation, nonce and",
      "report digest check out; a failed or interrupted build leaves no bundle.",
      ""
    },
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the bundle was built, checked and written",
      "1:the build failed, or the returned bundle or its attestation was rejected (nothing written)",
      "2:usage error: bad options, no or invalid build.json, a dirty git tree without --allow-dirty",
      "3:internal error, or the enclave or worker could not be started"
    })
public final class BuildCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int INTERNAL = 3;

  /** Modes of {@code --mode}. */
  enum Mode {
    nitro,
    emulated,
    local,
    auto
  }

  private final Clock clock;
  private final Map<String, String> environment;
  private final NitroPlatform platform;

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "The project directory (default: the current directory).")
  private Path dir;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Where to write the bundle (default: teec-bundle.tar next to DIR, in DIR's parent).")
  private Path out;

  @Option(
      names = "--json",
      description = "Print a JSON summary on stdout; progress goes to stderr.")
  private boolean json;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "nitro, emulated, local or auto (default: nitro when nitro-cli and /dev/nitro_enclaves"
              + " exist, else local with a warning that the attestation is simulated). emulated"
              + " starts the enclave image (--eif) under QEMU's nitro-enclave machine after"
              + " 'teec emulator setup' (its attestation is unsigned: EMULATED).")
  private Mode mode;

  @Option(
      names = "--allow-dirty",
      description =
          "Build a git tree whose tracked files differ from HEAD (the report records dirty: true).")
  private boolean allowDirty;

  @Mixin private NitroOptions nitroOptions;

  @Option(
      names = "--debug-enclave",
      description =
          "nitro: start the enclave in debug mode. Its attestation has all-zero PCRs, which verifiers"
              + " reject unless told to allow debug enclaves. For diagnosing images only.")
  private boolean debugEnclave;

  @Option(
      names = "--local-build-root",
      paramLabel = "DIR",
      description =
          "local: the worker's build root (default: "
              + "/tmp/teec-build"
              + "; builds run in DIR/src).")
  private Path localBuildRoot;

  @Option(
      names = "--local-path",
      paramLabel = "PATH",
      description =
          "local: the PATH the build gets, where its toolchain is looked up (default: the"
              + " directories of your PATH that hold the language's commands, e.g. cargo, then the"
              + " system directories).")
  private String localPath;

  /** The local toolchain once chosen, for the next step after a missing command. */
  private LocalToolchain buildPath;

  @Option(
      names = "--isolation",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "local: network isolation of the build, auto, none or netns (default: ${DEFAULT-VALUE}).")
  private String isolation;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  private boolean help;

  // Read through the command spec by the shared error handler.
  @Option(names = "--stacktrace", hidden = true)
  private boolean stacktrace;

  /**
   * @param clock "now" for checking the attestation
   * @param environment where TEEC_HOME and PATH are looked up
   */
  public BuildCommand(Clock clock, Map<String, String> environment) {
    this(clock, environment, NitroPlatform.NITRO);
  }

  /**
   * @param clock "now" for checking the attestation
   * @param environment where TEEC_HOME and PATH are looked up
   * @param platform nitro-cli, vsock and the attestation root for nitro mode
   */
  public BuildCommand(Clock clock, Map<String, String> environment, NitroPlatform platform) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.environment = Map.copyOf(environment);
    this.platform = Objects.requireNonNull(platform, "platform");
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    boolean tty = System.console() != null && !json;
    PrintWriter human = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    Progress progress = new TerminalProgress(human, tty);
    Path project = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(project)) {
      throw usage(dir + ": no such directory");
    }
    byte[] buildJson;
    BuildSpec buildSpec;
    try {
      buildJson = Files.readAllBytes(project.resolve("build.json"));
      buildSpec = BuildSpec.parse(buildJson);
    } catch (NoSuchFileException e) {
      throw CliSupport.usage(
          spec.commandLine(),
          project.resolve("build.json")
              + ": no such file (every project needs a build.json at its root)",
          "write it, e.g. {\"language\":\"rust\",\"input\":{\"cmd\":\"cargo build --release\"},"
              + "\"output\":{\"files\":[\"target/release/NAME\"]}} (spec/formats/build-json.md)");
    } catch (BuildSpecException e) {
      throw CliSupport.usage(
          spec.commandLine(),
          project.resolve("build.json") + ": " + e.getMessage(),
          "fix " + e.path() + " in build.json (its format: spec/formats/build-json.md)");
    }
    Path target = out != null ? out.toAbsolutePath().normalize() : defaultOut(project);
    if (Files.isDirectory(target)) {
      throw usage("--out " + target + " is a directory");
    }
    boolean nitro = resolveMode(progress);
    checkModeOptions(nitro);

    Path home = TeecHome.resolve(environment, System.getProperty("user.home"));
    LocalWorkerLauncher local = nitro ? null : localLauncher(home, buildSpec, project, progress);
    Path work = Files.createTempDirectory("teec-build-");
    // Local mode: the worker starts now and comes up while the source is packed; it is stopped
    // below on every path.
    EarlyLauncher early = local == null ? null : EarlyLauncher.start(local, progress::note);
    BuildClient client = new BuildClient(clock, new SecureRandom(), "teec build");
    // Ctrl-C: stop the worker or enclave and remove the partial bundle and the packed source before
    // the JVM exits (it does not wait for this thread's own clean-up).
    Thread hook =
        new Thread(
            () -> {
              client.abort(Duration.ofSeconds(30));
              close(early);
              FileTrees.deleteQuietly(work);
            },
            "teec-build-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      SelectedSource selected;
      PackedSource packed;
      try {
        progress.phase("packing the source of " + project);
        selected = new SourceSelector().select(project, allowDirty, List.of(target));
        packed = SourcePacker.pack(selected, work);
      } catch (SourceException e) {
        throw CliSupport.usage(
            spec.commandLine(),
            e.getMessage(),
            e.getMessage().contains("--allow-dirty")
                ? "commit your changes, or run again with --allow-dirty"
                : CliSupport.seeHelp(spec.commandLine()));
      }
      if (selected.git().flatMap(g -> g.objects()).isPresent()
          && !selected.files().contains(Path.of("build.json"))) {
        // The worker refuses a commit claim whose commit lacks the build definition (W2).
        throw usage(
            project.resolve("build.json")
                + " is not committed: the build definition must be part of the commit the report"
                + " names; commit it (or build with --allow-dirty, without a verified commit)");
      }
      progress.note(
          "source: "
              + packed.files()
              + " files, "
              + packed.size()
              + " bytes, SHA-256 "
              + packed.sha256()
              + selected
                  .git()
                  .map(
                      g ->
                          ", commit " + g.commit() + (g.dirty() ? " with UNCOMMITTED changes" : ""))
                  .orElse(" (not a git work tree)"));

      EnclaveLauncher launcher;
      TrustRoots roots;
      if (nitro) {
        NitroPlatform parent =
            mode == Mode.emulated ? EmulatedPlatform.of(spec, environment) : platform;
        try {
          launcher =
              nitroOptions.launcher(buildSpec, home, debugEnclave, clock, parent, progress::note);
        } catch (LaunchException e) {
          return fail(
              FailureCode.LAUNCH_FAILED, e.getMessage(), modeName(nitro), OptionalInt.empty());
        }
        roots = parent.roots();
      } else {
        launcher = early;
        roots = TrustRoots.simulated(home);
      }
      return build(
          client,
          new BuildPlan(buildJson, packed, target, roots),
          launcher,
          progress,
          modeName(nitro));
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook is running and cleans up.
      }
      close(early);
      FileTrees.deleteQuietly(work);
    }
  }

  private LocalWorkerLauncher localLauncher(
      Path home, BuildSpec buildSpec, Path project, Progress progress) throws InterruptedException {
    LocalWorkerSettings settings = LocalWorkerSettings.ofThisJvm(home).withIsolation(isolation);
    if (localBuildRoot != null) {
      settings = settings.withBuildRoot(localBuildRoot.toAbsolutePath().normalize());
    }
    buildPath = LocalToolchains.resolve(environment, buildSpec, project, localPath, progress);
    settings =
        settings.withPath(buildPath.path()).withToolchainEnvironment(buildPath.environment());
    return new LocalWorkerLauncher(settings);
  }

  private static void close(EarlyLauncher early) {
    if (early != null) {
      early.close();
    }
  }

  private int build(
      BuildClient client,
      BuildPlan plan,
      EnclaveLauncher launcher,
      Progress progress,
      String modeName)
      throws IOException, InterruptedException {
    BuildSummary summary;
    try {
      summary = client.run(plan, launcher, progress);
    } catch (BuildException e) {
      return fail(e.code(), e.getMessage(), modeName, e.exitCode());
    }
    output(modeName).ok(summary, progress);
    return OK;
  }

  private BuildOutput output(String modeName) {
    return new BuildOutput(
        spec.commandLine().getOut(), spec.commandLine().getErr(), json, modeName);
  }

  private int fail(FailureCode code, String message, String modeName, OptionalInt exitCode)
      throws IOException {
    output(modeName)
        .failed(
            code,
            message,
            BuildOutput.nextStep(
                code,
                exitCode,
                modeName,
                buildPath == null ? RunnerConfig.DEFAULT_PATH : buildPath.path()));
    return code == FailureCode.LAUNCH_FAILED ? INTERNAL : FAILED;
  }

  private boolean resolveMode(Progress progress) {
    return switch (mode) {
      case nitro, emulated -> true;
      case local -> false;
      case auto -> {
        boolean available = NitroLauncher.available(environment);
        if (!available) {
          progress.note(
              "WARNING: no Nitro Enclaves here (needs nitro-cli and /dev/nitro_enclaves): building"
                  + " locally; the result is SIMULATED");
        }
        yield available;
      }
    };
  }

  /** The mode as reported: nitro, emulated or local (auto resolved). */
  private String modeName(boolean nitro) {
    return !nitro ? "local" : mode == Mode.emulated ? "emulated" : "nitro";
  }

  private void checkModeOptions(boolean nitro) {
    if (nitro) {
      if (localBuildRoot != null || localPath != null) {
        throw usage("--local-build-root and --local-path apply to local mode only");
      }
    } else if (debugEnclave) {
      throw usage("--debug-enclave applies to nitro mode only");
    }
    if (!List.of("auto", "none", "netns").contains(isolation)) {
      throw usage("--isolation must be auto, none or netns, got '" + isolation + "'");
    }
    nitroOptions.check(
        nitro,
        mode == Mode.emulated,
        mode == Mode.auto ? " (auto chose local mode: no Nitro Enclaves here)" : "",
        clock,
        environment);
  }

  private Path defaultOut(Path project) {
    Path parent = project.getParent();
    if (parent == null) {
      throw usage("DIR is the file system root: give the bundle's path with --out");
    }
    return parent.resolve("teec-bundle.tar");
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
