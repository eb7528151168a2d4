package dev.teec.enclave.runner;

import static dev.teec.enclave.runner.RunnerFixtures.read;
import static dev.teec.enclave.runner.RunnerFixtures.spec;
import static dev.teec.enclave.runner.RunnerFixtures.specIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.teec.formats.buildspec.BuildSpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class BuildRunnerTest {
  @TempDir Path tmp;
  private RunnerConfig config;
  private BuildRunner runner;

  @BeforeEach
  void setUp() {
    config = RunnerConfig.defaults().withBuildRoot(tmp.resolve("root"));
    runner = new BuildRunner(config, RunnerFixtures.steppingClock());
  }

  private RunOutcome build(RunRequest request) throws Exception {
    return build(runner, request, LogListener.ignore());
  }

  private static RunOutcome build(BuildRunner r, RunRequest request, LogListener listener)
      throws Exception {
    try (BuildArea area = r.prepare()) {
      return r.run(area, request, listener);
    }
  }

  private Path src() throws IOException {
    return tmp.toRealPath().resolve("root/src");
  }

  @Test
  void run_environment_containsOnlyTheNormalisedVariables() throws Exception {
    RunOutcome outcome =
        build(
            RunRequest.of(
                    spec(
                        "env > env.txt",
                        Map.of("CFLAGS", "-O2"),
                        Duration.ofSeconds(30),
                        "env.txt"))
                .withExtraEnvironment(Map.of("HTTPS_PROXY", "http://127.0.0.1:3128")));
    assertThat(outcome.status()).isEqualTo(BuildStatus.SUCCEEDED);
    Map<String, String> seen = new TreeMap<>();
    for (String line : read(outcome.outputs().get(0).file()).split("\n")) {
      int eq = line.indexOf('=');
      seen.put(line.substring(0, eq), line.substring(eq + 1));
    }
    Path root = config.buildRoot().toRealPath();
    assertThat(seen)
        .containsOnly(
            Map.entry("PATH", RunnerConfig.DEFAULT_PATH),
            Map.entry("SOURCE_DATE_EPOCH", "315532800"),
            Map.entry("TZ", "UTC"),
            Map.entry("LC_ALL", "C"),
            Map.entry("LANG", "C"),
            Map.entry("HOME", root.resolve("home").toString()),
            Map.entry("TMPDIR", root.resolve("tmp").toString()),
            Map.entry("PWD", root.resolve("src").toString()),
            Map.entry("CFLAGS", "-O2"),
            Map.entry("HTTPS_PROXY", "http://127.0.0.1:3128"));
    assertThat(outcome.environment()).isEqualTo(seen);
    assertThat(List.copyOf(outcome.environment().keySet())).isSorted();
  }

  @Test
  void run_sourceDate_becomesSourceDateEpoch() throws Exception {
    RunOutcome outcome =
        build(
            RunRequest.of(spec("printf %s \"$SOURCE_DATE_EPOCH\" > e", "e"))
                .withSourceDate(Instant.parse("2024-05-06T07:08:09Z")));
    assertThat(read(outcome.outputs().get(0).file())).isEqualTo("1714979289");
  }

  @Test
  void run_directory_isTheCanonicalSourceDirEveryTime() throws Exception {
    RunOutcome first = build(RunRequest.of(spec("pwd > pwd.txt", "pwd.txt")));
    RunOutcome second = build(RunRequest.of(spec("pwd > pwd.txt", "pwd.txt")));
    assertThat(read(first.outputs().get(0).file())).isEqualTo(src() + "\n");
    assertThat(second.outputs().get(0).sha256()).isEqualTo(first.outputs().get(0).sha256());
  }

  @Test
  void run_workdir_startsThereButOutputsStayRelativeToTheRoot() throws Exception {
    try (BuildArea area = runner.prepare()) {
      Files.createDirectories(area.sourceDir().resolve("app/sub"));
      RunOutcome outcome =
          runner.run(
              area,
              RunRequest.of(
                  specIn(
                      "app/sub",
                      "pwd > here.txt",
                      Map.of(),
                      Duration.ofSeconds(30),
                      "app/sub/here.txt")),
              LogListener.ignore());
      assertThat(read(outcome.outputs().get(0).file())).isEqualTo(src().resolve("app/sub") + "\n");
      assertThat(outcome.environment().get("PWD")).isEqualTo(src().resolve("app/sub").toString());
    }
  }

  @Test
  void run_missingWorkdir_isABuildSpecError() throws Exception {
    assertThatThrownBy(
            () ->
                build(RunRequest.of(specIn("nope", "true", Map.of(), Duration.ofSeconds(5), "x"))))
        .isInstanceOfSatisfying(
            BuildSpecException.class, e -> assertThat(e.path()).isEqualTo("$.input.workdir"));
  }

  @Test
  void run_umask_is022() throws Exception {
    RunOutcome outcome =
        build(RunRequest.of(spec("umask > u; touch f; mkdir d; stat -c %a f d >> u", "u")));
    assertThat(read(outcome.outputs().get(0).file())).isEqualTo("0022\n644\n755\n");
  }

  @Test
  void run_failingCommand_returnsExitCodeAndLog() throws Exception {
    RunOutcome outcome =
        build(RunRequest.of(spec("echo compiling; echo 'error: boom' >&2; exit 3", "a.out")));
    assertThat(outcome.status()).isEqualTo(BuildStatus.FAILED);
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.failure()).contains("the build command exited with status 3");
    assertThat(outcome.log().text()).isEqualTo("compiling\nerror: boom\n");
    assertThat(outcome.outputs()).isEmpty();
    assertThat(outcome.started()).isEqualTo(RunnerFixtures.T0);
    assertThat(outcome.finished()).isAfter(outcome.started());
    assertThat(outcome.isolation().enforced()).isFalse();
    assertThat(outcome.isolation().mechanism()).isEqualTo("none");
  }

  @Test
  void run_timeout_killsTheWholeProcessTree() throws Exception {
    String cmd =
        "sleep 300 & echo $! > pids\n"
            + "(sleep 301 & echo $! >> pids)\n" // re-parented to init: only the session finds it
            + "sh -c 'sleep 302 & echo $! >> pids; wait' &\n"
            + "echo $$ >> pids\n"
            + "echo started\n"
            + "wait\n";
    long t0 = System.nanoTime();
    RunOutcome outcome = build(RunRequest.of(spec(cmd, Map.of(), Duration.ofSeconds(1), "x")));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(outcome.status()).isEqualTo(BuildStatus.TIMED_OUT);
    assertThat(outcome.timedOut()).isTrue();
    assertThat(outcome.failure()).contains("the build timed out after 1 s");
    assertThat(outcome.log().text())
        .startsWith("started\n")
        .contains("[teec: the build timed out after 1 s");
    List<String> pids = Files.readAllLines(src().resolve("pids"));
    assertThat(pids).hasSize(4);
    for (String pid : pids) {
      assertThat(ProcessTree.isLive(Long.parseLong(pid.trim()))).as("pid " + pid).isFalse();
    }
  }

  @Test
  void run_backgroundProcessAfterSuccess_isKilled() throws Exception {
    RunOutcome outcome =
        build(RunRequest.of(spec("sleep 300 & echo $! > bg.pid; echo ok > out", "out")));
    assertThat(outcome.status()).isEqualTo(BuildStatus.SUCCEEDED);
    long pid = Long.parseLong(read(src().resolve("bg.pid")).trim());
    assertThat(ProcessTree.isLive(pid)).isFalse();
  }

  @Test
  void run_log_streamsLinesInOrderWhileRunning() throws Exception {
    // the command waits for a file the listener creates on the first line: only live streaming
    // lets it finish before the timeout
    String cmd =
        "echo first\n"
            + "while [ ! -e go ]; do sleep 0.02; done\n"
            + "for i in 1 2 3; do echo \"out $i\"; echo \"err $i\" >&2; done\n"
            + "printf 'no newline'\n"
            + "touch done";
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Path src = src();
    LogListener listener =
        line -> {
          lines.add(line);
          if (line.equals("first")) {
            Files.createFile(src.resolve("go"));
          }
        };
    RunOutcome outcome =
        build(runner, RunRequest.of(spec(cmd, Map.of(), Duration.ofSeconds(20), "done")), listener);
    assertThat(outcome.status()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(lines)
        .containsExactly(
            "first", "out 1", "err 1", "out 2", "err 2", "out 3", "err 3", "no newline");
    assertThat(outcome.log().text())
        .isEqualTo("first\nout 1\nerr 1\nout 2\nerr 2\nout 3\nerr 3\nno newline");
    assertThat(outcome.log().sha256())
        .isEqualTo(sha256(outcome.log().text().getBytes(StandardCharsets.UTF_8)));
    assertThat(outcome.log().truncated()).isFalse();
  }

  @Test
  void run_log_keepsEmptyLinesAndStripsCr() throws Exception {
    List<String> lines = new ArrayList<>();
    build(runner, RunRequest.of(spec("printf 'a\\r\\n\\nb\\n'; touch x", "x")), lines::add);
    assertThat(lines).containsExactly("a", "", "b");
  }

  @Test
  void run_log_truncatesAtTheLimitAndKeepsDraining() throws Exception {
    runner = new BuildRunner(config.withMaxLogBytes(100), RunnerFixtures.steppingClock());
    List<String> lines = new ArrayList<>();
    // 2 MB after the cut: the build must not block on a full pipe
    String cmd =
        "i=0; while [ $i -lt 20 ]; do echo \"line $i ........\"; i=$((i+1)); done; head -c 2000000 /dev/zero; touch x";
    RunOutcome outcome = build(runner, RunRequest.of(spec(cmd, "x")), lines::add);
    assertThat(outcome.status()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(outcome.log().truncated()).isTrue();
    String text = outcome.log().text();
    String marker =
        "[teec: log truncated: the build wrote more than 100 bytes; the rest was discarded]";
    assertThat(text).endsWith("\n" + marker + "\n");
    assertThat(text.length()).isEqualTo(100 + 1 + marker.length() + 1);
    assertThat(text).startsWith("line 0 ........\nline 1 ........\n");
    assertThat(lines).hasSize(8).endsWith(marker);
    assertThat(lines.get(6)).isEqualTo("line");
  }

  @Test
  void run_listenerFailure_cancelsTheBuild() throws Exception {
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                build(
                    runner,
                    RunRequest.of(spec("echo hi; sleep 300 & echo $! > pid; wait", "x")),
                    line -> {
                      throw new IOException("client went away");
                    }))
        .isInstanceOf(BuildRunnerException.class)
        .hasMessageContaining("client went away");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    Path pidFile = src().resolve("pid");
    if (Files.exists(pidFile) && !read(pidFile).isBlank()) {
      assertThat(ProcessTree.isLive(Long.parseLong(read(pidFile).trim()))).isFalse();
    }
  }

  @Test
  void run_interrupted_killsAndThrows() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Path src = src();
    Thread t =
        new Thread(
            () -> {
              try {
                build(RunRequest.of(spec("echo $$ > pid; sleep 300", "x")));
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    Path pid = src.resolve("pid");
    while (!Files.exists(pid) || read(pid).isBlank()) {
      Thread.sleep(10);
    }
    t.interrupt();
    t.join(10_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(ProcessTree.isLive(Long.parseLong(read(pid).trim()))).isFalse();
  }

  @Test
  void run_outputsByGlob_areSortedHashedAndCopied() throws Exception {
    String cmd =
        "mkdir -p out/a/b; printf one > out/x.bin; printf two > out/a/b/y.bin; printf three > out/a/z.txt;"
            + " printf four > out/a/skip.txt; chmod 755 out/x.bin";
    RunOutcome outcome =
        build(RunRequest.of(spec(cmd, "out/**/*.bin", "out/a/z.txt", "out/*/b/y.bin")));
    assertThat(outcome.status()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(outcome.outputs())
        .extracting(OutputFile::relativePath)
        .containsExactly("out/a/b/y.bin", "out/a/z.txt", "out/x.bin");
    OutputFile x = outcome.outputs().get(2);
    assertThat(x.size()).isEqualTo(3);
    assertThat(x.sha256()).isEqualTo(sha256("one".getBytes(StandardCharsets.UTF_8)));
    assertThat(x.sha384())
        .isEqualTo(
            hex(
                MessageDigest.getInstance("SHA-384")
                    .digest("one".getBytes(StandardCharsets.UTF_8))));
    assertThat(x.file())
        .startsWith(config.buildRoot().toRealPath().resolve("out"))
        .hasContent("one");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(x.file())))
        .isEqualTo("rwxr-xr-x");
    assertThat(outcome.outputs())
        .extracting(OutputFile::executable)
        .containsExactly(false, false, true);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(outcome.outputs().get(1).file())))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void run_missingOutput_isOutputInvalidWithTheLog() throws Exception {
    RunOutcome outcome = build(RunRequest.of(spec("echo built; touch a.o", "a.o", "lib/*.so")));
    assertThat(outcome.status()).isEqualTo(BuildStatus.OUTPUT_INVALID);
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.failure()).contains("$.output.files[1] \"lib/*.so\" matched no file");
    assertThat(outcome.outputs()).isEmpty();
    assertThat(outcome.log().text()).isEqualTo("built\n");
  }

  @Test
  void run_outputIsADirectory_isOutputInvalid() throws Exception {
    RunOutcome outcome = build(RunRequest.of(spec("mkdir target", "target")));
    assertThat(outcome.failure())
        .contains("$.output.files[0] \"target\": target is not a regular file");
  }

  @Test
  void run_outputSymlinkOutside_isRejected() throws Exception {
    RunOutcome literal = build(RunRequest.of(spec("ln -s /etc/hostname app", "app")));
    assertThat(literal.status()).isEqualTo(BuildStatus.OUTPUT_INVALID);
    assertThat(literal.failure().orElseThrow()).contains("app resolves outside the source root");

    RunOutcome glob = build(RunRequest.of(spec("mkdir bin; ln -s /etc/hostname bin/app", "bin/*")));
    assertThat(glob.failure().orElseThrow()).contains("bin/app resolves outside the source root");

    RunOutcome viaDir = build(RunRequest.of(spec("ln -s /etc etc", "etc/hostname")));
    assertThat(viaDir.failure().orElseThrow()).contains("resolves outside the source root");

    RunOutcome globViaDir = build(RunRequest.of(spec("ln -s /etc etc", "etc/*")));
    assertThat(globViaDir.failure().orElseThrow())
        .contains("directory etc resolves outside the source root");

    RunOutcome dangling = build(RunRequest.of(spec("ln -s nowhere app", "app")));
    assertThat(dangling.failure().orElseThrow()).contains("symbolic link to nothing");
  }

  @Test
  void run_outputSymlinkInside_isFollowed() throws Exception {
    RunOutcome outcome =
        build(
            RunRequest.of(
                spec(
                    "mkdir -p real bin; printf hi > real/app; ln -s ../real/app bin/app",
                    "bin/app")));
    assertThat(outcome.status()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(outcome.outputs().get(0).relativePath()).isEqualTo("bin/app");
    assertThat(outcome.outputs().get(0).file()).hasContent("hi");
  }

  @Test
  void run_outputLimits_areEnforced() throws Exception {
    runner = new BuildRunner(config.withOutputLimits(10, 15, 2), RunnerFixtures.steppingClock());
    assertThat(
            build(
                    runner,
                    RunRequest.of(spec("head -c 11 /dev/zero > a", "a")),
                    LogListener.ignore())
                .failure())
        .hasValueSatisfying(
            f -> assertThat(f).contains("output a has 11 bytes; the limit per file is 10"));
    assertThat(
            build(
                    runner,
                    RunRequest.of(spec("head -c 8 /dev/zero > a; cp a b", "a", "b")),
                    LogListener.ignore())
                .failure())
        .hasValueSatisfying(f -> assertThat(f).contains("exceed the total limit of 15 bytes"));
    assertThat(
            build(runner, RunRequest.of(spec("touch a b c", "*")), LogListener.ignore()).failure())
        .hasValueSatisfying(f -> assertThat(f).contains("matched 3 files; the limit is 2"));
  }

  @Test
  void run_specEnvCollidingWithWorkerEnv_isABuildSpecError() {
    RunRequest request =
        RunRequest.of(spec("true", Map.of("SSL_CERT_FILE", "/mine"), Duration.ofSeconds(5), "x"))
            .withExtraEnvironment(Map.of("SSL_CERT_FILE", "/proxy-ca.pem"));
    assertThatThrownBy(() -> build(request))
        .isInstanceOfSatisfying(
            BuildSpecException.class,
            e -> assertThat(e.path()).isEqualTo("$.input.env.SSL_CERT_FILE"));
  }

  @Test
  void request_extraEnvironment_cannotReplaceFixedVariables() {
    assertThatThrownBy(
            () -> RunRequest.of(spec("true", "x")).withExtraEnvironment(Map.of("PATH", "/evil")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PATH is fixed by the runner");
    assertThatThrownBy(
            () ->
                RunRequest.of(spec("true", "x"))
                    .withSourceDate(Instant.parse("1969-12-31T23:59:59Z")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void run_gcc_buildsReproducibly() throws Exception {
    String program =
        "#include <stdio.h>\nint main(void) { printf(\"hello %s\\n\", __FILE__); return 0; }\n";
    String cmd = "gcc -O2 -g -o hello hello.c && ./hello";
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (BuildArea area = runner.prepare()) {
        Files.writeString(area.sourceDir().resolve("hello.c"), program);
        RunOutcome outcome =
            runner.run(area, RunRequest.of(spec(cmd, "hello")), LogListener.ignore());
        assertThat(outcome.status()).as(outcome.log().text()).isEqualTo(BuildStatus.SUCCEEDED);
        assertThat(outcome.log().text()).isEqualTo("hello hello.c\n");
        digests.add(outcome.outputs().get(0).sha256());
      }
    }
    assertThat(digests.get(1)).isEqualTo(digests.get(0));
  }

  @Test
  void run_cargo_buildsReproduciblyWhenInstalled() throws Exception {
    // rustup keeps toolchains under the real HOME; the build's HOME is the build area's
    Path userHome = Path.of(System.getProperty("user.home"));
    Path cargoBin = userHome.resolve(".cargo/bin");
    assumeThat(Files.isExecutable(cargoBin.resolve("cargo"))).as("cargo installed").isTrue();
    runner =
        new BuildRunner(
            config.withPath(cargoBin + ":" + RunnerConfig.DEFAULT_PATH),
            RunnerFixtures.steppingClock());
    Map<String, String> rustup = Map.of("RUSTUP_HOME", userHome.resolve(".rustup").toString());
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (BuildArea area = runner.prepare()) {
        Files.createDirectories(area.sourceDir().resolve("src"));
        Files.writeString(
            area.sourceDir().resolve("Cargo.toml"),
            "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        Files.writeString(
            area.sourceDir().resolve("src/main.rs"), "fn main() { println!(\"hi\"); }\n");
        RunOutcome outcome =
            runner.run(
                area,
                RunRequest.of(
                        spec(
                            "cargo build --offline",
                            Map.of(),
                            Duration.ofSeconds(120),
                            "target/debug/hello"))
                    .withExtraEnvironment(rustup),
                LogListener.ignore());
        assertThat(outcome.status()).as(outcome.log().text()).isEqualTo(BuildStatus.SUCCEEDED);
        digests.add(outcome.outputs().get(0).sha256());
      }
    }
    assertThat(digests.get(1)).isEqualTo(digests.get(0));
  }

  @Test
  void prepare_cleansLeftoversOfTheLastBuild() throws Exception {
    try (BuildArea area = runner.prepare()) {
      runner.run(
          area,
          RunRequest.of(spec("touch junk $HOME/cache $TMPDIR/t; mkdir ro; chmod 500 ro", "junk")),
          LogListener.ignore());
    }
    try (BuildArea area = runner.prepare()) {
      assertThat(area.sourceDir()).isEmptyDirectory();
      assertThat(area.homeDir()).isEmptyDirectory();
      assertThat(area.tmpDir()).isEmptyDirectory();
      assertThat(area.outputDir()).isEmptyDirectory();
    }
  }

  @Test
  void prepare_whileAnotherBuildHoldsTheRoot_fails() throws Exception {
    try (BuildArea held = runner.prepare()) {
      assertThat(held.root()).isEqualTo(tmp.toRealPath().resolve("root"));
      assertThatThrownBy(() -> runner.prepare())
          .isInstanceOf(BuildRunnerException.class)
          .hasMessageContaining("is in use by another build");
    }
    runner.prepare().close();
  }

  @Test
  void prepare_foreignNonEmptyDirectory_isNeverCleaned() throws Exception {
    Path foreign = tmp.resolve("important");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("keep.txt"), "precious");
    BuildRunner r = new BuildRunner(config.withBuildRoot(foreign), RunnerFixtures.steppingClock());
    assertThatThrownBy(r::prepare)
        .isInstanceOf(BuildRunnerException.class)
        .hasMessageContaining("refusing to clean it");
    assertThat(foreign.resolve("keep.txt")).hasContent("precious");
  }

  @Test
  void run_closedArea_rejected() throws Exception {
    BuildArea area = runner.prepare();
    area.close();
    assertThatThrownBy(
            () -> runner.run(area, RunRequest.of(spec("true", "x")), LogListener.ignore()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void script_prefixesTheUmaskAndKeepsTheCommand() {
    assertThat(BuildRunner.script("make all", false)).isEqualTo("umask 022\nmake all");
    assertThat(BuildRunner.script("make", true))
        .isEqualTo("read -r teec_ready || exit 125\nexec </dev/null\numask 022\nmake");
  }

  @Test
  void run_notesFromAnotherThread_areRunnerLinesUpToTheLimitThenCounted() throws Exception {
    BuildNotes notes = new BuildNotes(2, n -> n + " more");
    notes.note("before the build");
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    RunOutcome outcome;
    try (BuildArea area = runner.prepare()) {
      Path go = area.sourceDir().resolve("go");
      LogListener listener =
          line -> {
            lines.add(line);
            if (line.equals("ready")) {
              new Thread(
                      () -> {
                        for (int i = 0; i < 3; i++) {
                          notes.note("n" + i);
                        }
                        try {
                          Files.createFile(go);
                        } catch (IOException e) {
                          throw new java.io.UncheckedIOException(e);
                        }
                      })
                  .start();
            }
          };
      outcome =
          runner.run(
              area,
              RunRequest.of(
                  spec(
                      "echo ready; while [ ! -f go ]; do sleep 0.05; done; echo after; touch x",
                      "x")),
              listener,
              notes);
    }
    notes.note("after the build");
    assertThat(outcome.status()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(lines)
        .containsExactly("ready", "[teec: n0]", "[teec: n1]", "after", "[teec: 1 more]");
    assertThat(outcome.log().text())
        .isEqualTo("ready\n[teec: n0]\n[teec: n1]\nafter\n[teec: 1 more]\n");
  }

  private static String sha256(byte[] data) throws Exception {
    return hex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
