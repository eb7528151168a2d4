package dev.teec.cli.challenge;

import dev.teec.builder.launch.LaunchException;
import dev.teec.builder.progress.Progress;
import dev.teec.builder.progress.TerminalProgress;
import dev.teec.builder.source.PackedSource;
import dev.teec.cli.CliSupport;
import dev.teec.cli.build.NitroOptions;
import dev.teec.cli.build.NitroPlatform;
import dev.teec.cli.challenge.compare.ArtifactComparator;
import dev.teec.cli.challenge.compare.ArtifactComparison;
import dev.teec.cli.challenge.compare.Verdict;
import dev.teec.cli.emulator.EmulatedPlatform;
import dev.teec.enclave.nsm.TeecHome;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.enclave.protocol.egress.TcpUpstreamConnector;
import dev.teec.enclave.protocol.egress.UpstreamConnector;
import dev.teec.enclave.proxy.OfflineReplay;
import dev.teec.enclave.runner.HostToolchains;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.formats.buildspec.BuildSpecException;
import dev.teec.formats.files.FileTrees;
import dev.teec.formats.report.ProvenanceReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code teec challenge reproduce BUNDLE --source DIR [--mode local|nitro|emulated] [--offline]
 * [--cache DIR] [--build-root DIR] [--out FILE] [--json] [nitro options]} (SPEC C4): rebuilds from
 * the same source, build.json and source metadata as the bundle's report records, and compares
 * every artifact. The source is selected and packed as {@code teec build} does it; nitro mode
 * starts the enclave with {@code teec build}'s options ({@link NitroOptions}) and build client.
 *
 * <p>JSON output ({@code --json}), one object on stdout (build log lines go to stderr):
 *
 * <pre>
 * {"bundle": "/abs/original.tar", "mode": "local", "offline": false,
 *  "sourceSha256": "&lt;hex&gt;", "rebuiltBundle": "/abs/rebuilt.tar", "result": "MATCH|MISMATCH",
 *  "artifacts": [{"name": "hello", "verdict": "MATCH|MISMATCH",
 *                 "originalSha256": "&lt;hex&gt;|null", "rebuiltSha256": "&lt;hex&gt;|null",
 *                 "summary": "&lt;one line&gt;",
 *                 "difference": {"originalSize": 1, "rebuiltSize": 1, "offset": 0,
 *                   "archive": {"format": "zip|tar", "orderDiffers": false, "error": null,
 *                     "entries": [{"name": "a/B.class", "change": "added|removed|content|metadata", "detail": ""}]}}}]}
 * </pre>
 *
 * {@code difference} is present only for a MISMATCH where both sides have the artifact, and {@code
 * archive} only when both are zip (jar) or both tar.
 */
@Command(
    name = "reproduce",
    description = {
      "Rebuild from the bundle's report (same source, build.json and worker kind) and compare every artifact.",
      "Local mode runs the worker in this process with a simulated NSM; the build runs on this machine.",
      "Nitro mode starts an enclave as teec build --mode nitro does (the nitro: options) and checks the"
          + " rebuilt bundle's attestation against the AWS Nitro root, this rebuild's nonce and the image's PCRs.",
      "Emulated mode does the same under QEMU's nitro-enclave machine (teec build --mode emulated).",
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:every artifact was rebuilt byte for byte (MATCH)",
      "1:at least one artifact differs or is missing (MISMATCH), the rebuild failed, or the bundle is invalid",
      "2:usage error: bad options, an unreadable bundle, a source that is not the bundle's, a cache missing"
          + " resources, --offline with --mode nitro, nitro mode without an image",
      "3:internal error, or the enclave could not be started"
    })
public final class ReproduceCommand implements Callable<Integer> {
  /** Worker kinds. */
  enum Mode {
    local,
    nitro,
    emulated
  }

  private final Clock clock;
  private final Map<String, String> environment;
  private final UpstreamConnector upstream;
  private final NitroPlatform platform;

  @Spec private CommandSpec spec;

  @Mixin private NitroOptions nitroOptions;

  @Parameters(
      index = "0",
      paramLabel = "BUNDLE",
      description = "The build bundle (tar) to reproduce.")
  private Path bundle;

  @Option(
      names = "--source",
      paramLabel = "DIR|URL",
      required = true,
      description = {
        "The source directory, selected as teec build selects it: in a git work tree its tracked"
            + " files as they are in the work tree, else every file except .git, .hg, .svn, target and"
            + " node_modules. Or a git URL (https://, ssh://, file://, git@host:path, git+https://...):"
            + " cloned at the commit the report records, the directory it records. It must pack to the"
            + " recorded source archive digest."
      })
  private String sourceSpec;

  /** The directory packed: {@code --source DIR}, or the checkout of {@code --source URL}. */
  private Path source;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "local",
      description =
          "local (a worker in this process, simulated NSM), nitro (a Nitro Enclave, as teec build"
              + " starts it) or emulated (the enclave under QEMU, as teec build --mode emulated"
              + " starts it). Default: ${DEFAULT-VALUE}.")
  private Mode mode;

  @Option(
      names = "--offline",
      description =
          "Serve the recorded network resources from the cache instead of the"
              + " network (local mode only).")
  private boolean offline;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "The cache for --offline (default: $TEEC_HOME/cache; fill it with teec challenge fetch).")
  private Path cacheDir;

  @Option(
      names = "--build-root",
      paramLabel = "DIR",
      description =
          "local: where the build runs (default: "
              + "/tmp/teec-build"
              + "); use the original's for"
              + " compilers that embed paths.")
  private Path buildRoot;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the rebuilt bundle (default: a new temporary directory).")
  private Path out;

  static final String MISMATCH_NEXT =
      "do not rely on these artifacts until the difference above is explained: rebuild again"
          + " to rule out a nondeterministic build, and ask the builder";

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  /**
   * The command as {@code teec} runs it: the local worker reaches upstream over TCP; nitro mode
   * uses nitro-cli, AF_VSOCK and the AWS Nitro Enclaves root.
   */
  public ReproduceCommand(Clock clock, Map<String, String> environment) {
    this(clock, environment, TcpUpstreamConnector.anyAddress(), NitroPlatform.NITRO);
  }

  ReproduceCommand(Clock clock, Map<String, String> environment, UpstreamConnector upstream) {
    this(clock, environment, upstream, NitroPlatform.NITRO);
  }

  ReproduceCommand(
      Clock clock,
      Map<String, String> environment,
      UpstreamConnector upstream,
      NitroPlatform platform) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.environment = Map.copyOf(environment);
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.platform = Objects.requireNonNull(platform, "platform");
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Path work = null;
    try {
      if (cacheDir != null && !offline) {
        throw new ChallengeException(CliSupport.USAGE, "--cache is only used with --offline");
      }
      if (mode != Mode.local && offline) {
        throw new ChallengeException(
            CliSupport.USAGE,
            "--offline cannot be used with --mode "
                + mode
                + ": offline replay"
                + " is served by the build's proxy, which runs inside the enclave and cannot read this machine's"
                + " cache; rebuild in the enclave online, or offline with --mode local");
      }
      if (mode != Mode.local && buildRoot != null) {
        throw new ChallengeException(
            CliSupport.USAGE,
            "--build-root applies to --mode local only: the enclave's"
                + " worker builds in its own build root ("
                + RunnerConfig.DEFAULT_BUILD_ROOT
                + ")");
      }
      try {
        nitroOptions.check(mode != Mode.local, mode == Mode.emulated, "", clock, environment);
      } catch (ParameterException e) {
        throw new ChallengeException(CliSupport.USAGE, e.getMessage(), e);
      }
      boolean url = ReproduceSource.isUrl(sourceSpec);
      if (!url && !Files.isDirectory(Path.of(sourceSpec))) {
        throw new ChallengeException(
            CliSupport.USAGE, "--source " + sourceSpec + " is not a directory");
      }
      work = Files.createTempDirectory("teec-reproduce-");
      source = url ? null : Path.of(sourceSpec);
      return reproduce(work);
    } catch (ChallengeException e) {
      return e.report(err, "teec challenge reproduce", CliSupport.seeHelp(spec.commandLine()));
    } finally {
      FileTrees.deleteQuietly(work);
    }
  }

  private int reproduce(Path work) throws ChallengeException, IOException, InterruptedException {
    PrintWriter w = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter text = json ? err : w;
    Bundles.Checked original =
        Bundles.read(bundle, Files.createDirectories(work.resolve("original")), "the bundle");
    ProvenanceReport report = original.report();

    if (source == null) {
      source = ReproduceSource.checkout(sourceSpec, report, work, err);
    }
    PackedSource packed =
        ReproduceSource.pack(sourceSpec, source, work, report.source().archiveSha256());
    String sourceSha256 = packed.sha256();
    text.println(
        "teec challenge reproduce: "
            + sourceSpec
            + " ("
            + ReproduceSource.describe(packed)
            + ") packs to the bundle's"
            + " source archive, SHA-256 "
            + sourceSha256);

    Optional<OfflineReplay> replay =
        offline
            ? Optional.of(RebuildInputs.offlineReplay(report, cacheDir, environment, bundle))
            : Optional.empty();
    Path root = buildRoot != null ? buildRoot.toAbsolutePath() : RunnerConfig.DEFAULT_BUILD_ROOT;
    Path home = TeecHome.resolve(environment, System.getProperty("user.home"));
    Progress progress = new TerminalProgress(text, false);
    byte[] buildJson = RebuildInputs.buildJson(report);
    Rebuilder rebuilder =
        mode == Mode.local
            ? new LocalRebuilder(home, root, upstream, clock)
            : nitroRebuilder(buildJson, home, progress);
    String originalDir = report.internalParameters().buildDir();
    if (!originalDir.equals(root.resolve("src").toString())) {
      text.println(
          "teec challenge reproduce: note: the original was built in "
              + originalDir
              + ", this rebuild"
              + " builds in "
              + root.resolve("src")
              + (mode == Mode.local ? " (--build-root)" : " (the enclave's)")
              + "; outputs that embed paths will differ");
    }
    text.println(
        "teec challenge reproduce: rebuilding "
            + rebuilder.describe()
            + replay
                .map(
                    r ->
                        ", offline: "
                            + r.responses().size()
                            + " recorded resources from "
                            + r.cache().directory())
                .orElse(""));
    text.flush();

    Path rebuilt =
        out != null
            ? out.toAbsolutePath()
            : Files.createTempDirectory("teec-reproduce-out-").resolve("rebuilt-bundle.tar");
    Map<String, String> env = report.internalParameters().environment();
    SourceMetadata claim = ReproduceSource.claim(report.source(), env, packed);
    if (report.source().commit() != null && claim.commit() == null) {
      text.println(
          "teec challenge reproduce: note: "
              + sourceSpec
              + " is not a clean checkout of commit "
              + report.source().commit()
              + (report.source().path() == null
                  ? ""
                  : " (directory " + report.source().path() + ")")
              + ", so the rebuild claims no commit; the artifacts are compared all the same");
    }
    rebuilder.rebuild(
        new Rebuilder.Request(
            packed,
            buildJson,
            claim,
            Optional.ofNullable(env.get("PATH")),
            HostToolchains.ofRecorded(env, RebuildInputs.buildJsonEnvNames(report)).environment(),
            replay,
            rebuilt,
            progress));
    Bundles.Checked second =
        Bundles.read(
            rebuilt, Files.createDirectories(work.resolve("rebuilt")), "the rebuilt bundle");

    List<ArtifactComparison> results =
        ArtifactComparator.compareAll(original.bundle().artifacts(), second.bundle().artifacts());
    boolean allMatch = results.stream().allMatch(c -> c.verdict() == Verdict.MATCH);
    if (json) {
      w.println(
          ReproduceOutput.json(
              bundle, mode.name(), offline, sourceSha256, rebuilt, results, allMatch));
    } else {
      ReproduceOutput.printHuman(w, results);
      long matching = results.stream().filter(c -> c.verdict() == Verdict.MATCH).count();
      w.println(
          "teec challenge reproduce: "
              + (allMatch ? "MATCH" : "MISMATCH")
              + ", "
              + matching
              + " of "
              + results.size()
              + " artifacts identical; rebuilt bundle "
              + rebuilt);
    }
    w.flush();
    if (!allMatch) {
      CliSupport.next(err, MISMATCH_NEXT);
    }
    return allMatch ? CliSupport.OK : CliSupport.REJECTED;
  }

  /**
   * Nitro mode: the enclave is started with the image and options {@code teec build --mode nitro}
   * takes; the image is chosen for the original's build.json (language, toolchain).
   */
  private Rebuilder nitroRebuilder(byte[] buildJson, Path home, Progress progress)
      throws ChallengeException, IOException, InterruptedException {
    BuildSpec buildSpec;
    try {
      buildSpec = BuildSpec.parse(buildJson);
    } catch (BuildSpecException e) {
      throw new ChallengeException(
          CliSupport.REJECTED, "the bundle's build.json is not valid: " + e.getMessage(), e);
    }
    NitroPlatform parent =
        mode == Mode.emulated ? EmulatedPlatform.of(spec, environment) : platform;
    try {
      return new NitroRebuilder(
          nitroOptions.launcher(buildSpec, home, false, clock, parent, progress::note),
          parent.roots(),
          clock);
    } catch (LaunchException e) {
      throw new ChallengeException(
          CliSupport.INTERNAL, "cannot start the enclave: " + e.getMessage(), e);
    }
  }
}
