package dev.teec.enclave.runner;

import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.formats.buildspec.BuildSpecException;
import dev.teec.formats.files.FileTrees;
import dev.teec.formats.report.ResolvedTool;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs builds in a canonical directory with a normalised environment (spec part "W2. Running the
 * build"). One build at a time per build root; the runner itself holds no mutable state, so one
 * instance may serve many builds in sequence.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * BuildRunner runner = new BuildRunner(config, Clock.systemUTC());
 * try (BuildArea area = runner.prepare()) {
 *   SourceArchive.extract(tarStream, area.sourceDir(), ArchiveLimits.defaults());
 *   RunOutcome outcome = runner.run(area, RunRequest.of(spec), line -> send(line));
 *   // copy outcome.outputs() into the bundle before closing
 * }
 * }</pre>
 */
public final class BuildRunner {
  /**
   * SOURCE_DATE_EPOCH when the source commit time is unknown: 1980-01-01T00:00:00Z, the earliest
   * time ZIP and JAR entries can record, so archives built from it stay valid.
   */
  public static final long DEFAULT_SOURCE_DATE_EPOCH = 315_532_800L;

  /** Variables the runner always sets; nothing can replace them. */
  public static final Set<String> FIXED_VARIABLES =
      Set.of("PATH", "SOURCE_DATE_EPOCH", "TZ", "LC_ALL", "LANG", "HOME", "TMPDIR", "PWD");

  /** The file marking a directory as a build root this runner may empty. */
  static final String ROOT_MARKER = ".teec-build-root";

  private static final Duration NAMESPACE_WAIT = Duration.ofSeconds(10);
  private static final Duration LOG_DRAIN_WAIT = Duration.ofSeconds(5);
  private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");
  private static final List<String> UNSHARE = List.of("/usr/bin/unshare", "/bin/unshare");

  private final RunnerConfig config;
  private final Clock clock;

  public BuildRunner(RunnerConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public RunnerConfig config() {
    return config;
  }

  /**
   * Takes the build root for one build: creates it if needed, locks it, and empties its {@code
   * src}, {@code home}, {@code tmp} and {@code out} directories (removing whatever a previous build
   * left there). A non-empty directory that does not carry the runner's marker file is never
   * emptied.
   *
   * @throws BuildRunnerException if another build holds the root or the root is not the runner's
   */
  public BuildArea prepare() throws IOException {
    Path root = config.buildRoot();
    Files.createDirectories(root);
    Path real = root.toRealPath();
    Path marker = real.resolve(ROOT_MARKER);
    if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> entries = Files.list(real)) {
        if (entries.findAny().isPresent()) {
          throw new BuildRunnerException(
              "build root "
                  + real
                  + " is not empty and has no "
                  + ROOT_MARKER
                  + " file; refusing to clean it");
        }
      }
      Files.createFile(marker);
    }
    FileChannel channel =
        FileChannel.open(
            real.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new BuildRunnerException("build root " + real + " is in use by another build");
    }
    BuildArea area = new BuildArea(real, channel, lock);
    try {
      for (Path dir : List.of(area.sourceDir(), area.homeDir(), area.tmpDir(), area.outputDir())) {
        FileTrees.delete(dir);
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (IOException | RuntimeException e) {
      area.close();
      throw e;
    }
    return area;
  }

  /**
   * Runs the build command in {@code area.sourceDir()} (or build.json's workdir below it) and
   * collects the outputs. Blocks until the command and every process it started have ended.
   *
   * @param listener receives the log while the build runs
   * @return the outcome; a failed or timed-out build is an outcome, not an exception
   * @throws BuildSpecException if build.json's workdir is not a directory of the source, or its env
   *     collides with the request's extra variables
   * @throws BuildRunnerException if the build could not be started or isolated, or the listener
   *     failed (the build is cancelled)
   * @throws InterruptedException if the calling thread is interrupted; the build is killed first
   */
  public RunOutcome run(BuildArea area, RunRequest request, LogListener listener)
      throws IOException, InterruptedException {
    return run(area, request, listener, BuildNotes.none());
  }

  /**
   * As {@link #run(BuildArea, RunRequest, LogListener)}, writing {@code notes} into the log while
   * the build's processes run.
   */
  public RunOutcome run(BuildArea area, RunRequest request, LogListener listener, BuildNotes notes)
      throws IOException, InterruptedException {
    Objects.requireNonNull(notes, "notes");
    Objects.requireNonNull(area, "area");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    if (!area.isOpen()) {
      throw new IllegalStateException("the build area is closed");
    }
    if (!area.root().equals(config.buildRoot().toRealPath())) {
      throw new IllegalArgumentException(
          "the build area belongs to another build root: " + area.root());
    }
    BuildSpec spec = request.spec();
    Path workdir = workdir(area, spec);
    SortedMap<String, String> env = environment(area, request, workdir);
    Duration timeout =
        spec.input().timeout().compareTo(config.maxTimeout()) < 0
            ? spec.input().timeout()
            : config.maxTimeout();
    boolean netns = config.isolation() == IsolationMode.NETWORK_NAMESPACE;
    Optional<InetSocketAddress> proxy = netns ? request.proxy() : Optional.empty();
    if (netns && !"Linux".equals(System.getProperty("os.name"))) {
      throw new BuildRunnerException("network namespace isolation needs Linux");
    }

    Optional<List<ResolvedTool>> tools = Optional.empty();
    if (config.hostToolchains().isPresent()) {
      tools =
          Optional.of(
              new ToolProbe(env, workdir, netns ? unshare() : List.of())
                  .probe(spec.language().tools()));
    }

    Optional<String> setsid = firstExecutable(SETSID);
    List<String> argv = command(setsid, netns, spec.input().cmd());
    ProcessBuilder pb =
        new ProcessBuilder(argv).directory(workdir.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(
        netns ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new File("/dev/null")));

    Instant started = clock.instant();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new BuildRunnerException("cannot start the build command: " + e.getMessage(), e);
    }
    long session = setsid.isPresent() ? process.pid() : -1;
    LogPump pump = new LogPump(process.getInputStream(), config.maxLogBytes(), listener);
    Thread pumpThread = new Thread(pump, "teec-build-log");
    pumpThread.setDaemon(true);
    pumpThread.start();
    notes.attach(pump);

    Optional<NetnsForwarder> forwarder = Optional.empty();
    boolean timedOut = false;
    boolean finished = false;
    try {
      if (netns) {
        forwarder = enterNamespace(process, proxy);
      }
      CompletableFuture<Object> done =
          CompletableFuture.anyOf(process.onExit(), pump.listenerFailure());
      try {
        done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        timedOut = !process.onExit().isDone();
      } catch (ExecutionException e) {
        throw new IllegalStateException("process exit future failed", e);
      }
      finished = true;
    } finally {
      // always, also after a normal exit: background processes of the build must not outlive it
      boolean clean = ProcessTree.killAll(process.toHandle(), session);
      forwarder.ifPresent(NetnsForwarder::close);
      notes.detach();
      if (!finished) {
        // no log lines may reach the listener after run() has thrown
        pump.snapshot();
      } else if (!clean) {
        pump.appendMarker("some processes of the build could not be killed");
      }
    }
    int exitCode = process.waitFor();
    pumpThread.join(LOG_DRAIN_WAIT.toMillis());
    if (pumpThread.isAlive()) {
      pump.appendMarker(
          "a process outside the build's session kept the log open; the log may be incomplete");
    }
    if (pump.listenerFailure().isDone()) {
      throw new BuildRunnerException(
          "the log listener failed, so the build was cancelled: "
              + pump.listenerFailure().getNow(null),
          pump.listenerFailure().getNow(null));
    }
    if (timedOut) {
      pump.appendMarker(
          "the build timed out after " + timeout.toSeconds() + " s; its processes were killed");
    }
    Instant ended = clock.instant();
    BuildLog log = pump.snapshot();
    NetworkIsolation isolation =
        switch (config.isolation()) {
          case NONE -> NetworkIsolation.none();
          case ENCLAVE -> NetworkIsolation.enclave();
          case NETWORK_NAMESPACE ->
              NetworkIsolation.networkNamespace(
                  proxy.map(p -> OptionalInt.of(p.getPort())).orElse(OptionalInt.empty()));
        };
    BuildStatus status;
    Optional<String> failure;
    List<OutputFile> outputs = List.of();
    if (timedOut) {
      status = BuildStatus.TIMED_OUT;
      failure = Optional.of("the build timed out after " + timeout.toSeconds() + " s");
    } else if (exitCode == CommandNotFound.EXIT_STATUS) {
      status = BuildStatus.FAILED;
      failure = Optional.of(CommandNotFound.failure(log, env.get("PATH")));
    } else if (exitCode != 0) {
      status = BuildStatus.FAILED;
      failure = Optional.of("the build command exited with status " + exitCode);
    } else {
      try {
        outputs =
            new OutputCollector(area.sourceDir(), area.outputDir(), config)
                .collect(spec.output().files());
        status = BuildStatus.SUCCEEDED;
        failure = Optional.empty();
      } catch (OutputCollector.OutputProblem e) {
        status = BuildStatus.OUTPUT_INVALID;
        failure = Optional.of(e.getMessage());
      }
    }
    return new RunOutcome(
        status, failure, exitCode, timedOut, started, ended, log, outputs, env, isolation, tools);
  }

  /** The argument vector: optional setsid, optional unshare, then the shell script. */
  private static List<String> command(Optional<String> setsid, boolean netns, String cmd)
      throws BuildRunnerException {
    List<String> argv = new ArrayList<>();
    setsid.ifPresent(s -> argv.addAll(List.of(s, "--wait")));
    if (netns) {
      argv.addAll(unshare());
    }
    argv.addAll(List.of("/bin/sh", "-c", script(cmd, netns)));
    return argv;
  }

  /** New network and PID namespaces for what follows, killed with it. */
  private static List<String> unshare() throws BuildRunnerException {
    String unshare =
        firstExecutable(UNSHARE)
            .orElseThrow(
                () ->
                    new BuildRunnerException(
                        "network namespace isolation needs util-linux unshare"));
    return List.of(unshare, "--net", "--pid", "--fork", "--kill-child", "--");
  }

  private SortedMap<String, String> environment(BuildArea area, RunRequest request, Path workdir)
      throws BuildSpecException {
    SortedMap<String, String> env = new TreeMap<>();
    env.put("PATH", config.path());
    long epoch =
        request.sourceDate().map(Instant::getEpochSecond).orElse(DEFAULT_SOURCE_DATE_EPOCH);
    env.put("SOURCE_DATE_EPOCH", Long.toString(epoch));
    env.put("TZ", "UTC");
    env.put("LC_ALL", "C");
    env.put("LANG", "C");
    env.put("HOME", area.homeDir().toString());
    env.put("TMPDIR", area.tmpDir().toString());
    // the shell would export PWD anyway; setting it makes the reported environment complete
    env.put("PWD", workdir.toString());
    // The host toolchains' variables come before the worker's and build.json's: build.json may
    // choose another toolchain; the worker's proxy variables do not overlap them.
    config.hostToolchains().ifPresent(h -> env.putAll(h.environment()));
    Map<String, String> fromSpec = request.spec().input().env();
    for (Map.Entry<String, String> e : request.extraEnvironment().entrySet()) {
      if (fromSpec.containsKey(e.getKey())) {
        throw new BuildSpecException(
            "$.input.env." + e.getKey(),
            "is set by the worker for this build (proxy or trust settings) and cannot be overridden");
      }
      env.put(e.getKey(), e.getValue());
    }
    env.putAll(fromSpec);
    return env;
  }

  private static Path workdir(BuildArea area, BuildSpec spec) throws IOException {
    Path src = area.sourceDir().toRealPath();
    String rel = spec.input().workdir();
    if (rel.equals(".")) {
      return src;
    }
    Path dir = src.resolve(rel);
    if (!Files.isDirectory(dir)) {
      throw new BuildSpecException(
          "$.input.workdir", "\"" + rel + "\" is not a directory of the source");
    }
    if (!dir.toRealPath().startsWith(src)) {
      throw new BuildSpecException(
          "$.input.workdir", "\"" + rel + "\" resolves outside the source root");
    }
    return dir;
  }

  /**
   * The shell script: the fixed umask, then the user's command unchanged. In a namespace the script
   * first waits for one line on stdin, sent once the proxy forwarder is listening.
   */
  static String script(String cmd, boolean waitForNamespace) {
    String prefix = waitForNamespace ? "read -r teec_ready || exit 125\nexec </dev/null\n" : "";
    return prefix + "umask 022\n" + cmd;
  }

  private static Optional<NetnsForwarder> enterNamespace(
      Process process, Optional<InetSocketAddress> proxy) throws IOException, InterruptedException {
    Path own = Path.of("/proc/self/ns/net");
    Path child = Path.of("/proc", Long.toString(process.pid()), "ns", "net");
    Path ownNs = Files.readSymbolicLink(own);
    long deadline = System.nanoTime() + NAMESPACE_WAIT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new BuildRunnerException(
            "unshare exited before the network namespace was ready (is it permitted here?)");
      }
      Path ns;
      try {
        ns = Files.readSymbolicLink(child);
      } catch (IOException e) {
        ns = ownNs;
      }
      if (!ns.equals(ownNs)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new BuildRunnerException(
            "the build's network namespace did not appear within "
                + NAMESPACE_WAIT.toSeconds()
                + " s");
      }
      Thread.sleep(1);
    }
    Optional<NetnsForwarder> forwarder;
    try {
      forwarder = NetnsForwarder.open(process.pid(), proxy);
    } catch (IOException e) {
      throw new BuildRunnerException(e.getMessage(), e);
    }
    try (OutputStream go = process.getOutputStream()) {
      go.write("go\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      forwarder.ifPresent(NetnsForwarder::close);
      throw new BuildRunnerException(
          "the build exited before it could be released: " + e.getMessage(), e);
    }
    return forwarder;
  }

  private static Optional<String> firstExecutable(List<String> candidates) {
    return candidates.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst();
  }
}
