package dev.teec.enclave.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.formats.buildspec.Language;
import dev.teec.formats.buildspec.OutputPattern;
import dev.teec.formats.report.ResolvedTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Local builds on the host's toolchains: their variables, the recorded tools, missing commands. */
@Timeout(120)
class HostToolchainsTest {
  @TempDir Path tmp;
  private FakeRustup rustup;
  private RunnerConfig config;

  @BeforeEach
  void setUp() throws Exception {
    rustup = FakeRustup.install(tmp.resolve("user"));
    config =
        RunnerConfig.defaults()
            .withBuildRoot(tmp.resolve("root"))
            .withPath(rustup.cargoBin + ":" + RunnerConfig.DEFAULT_PATH);
  }

  private static BuildSpec rust(String cmd, Map<String, String> env) {
    return new BuildSpec(
        Language.RUST,
        Optional.empty(),
        new BuildSpec.Input(cmd, ".", env, Duration.ofSeconds(60)),
        new BuildSpec.Output(List.of(OutputPattern.compile("target/release/hello"))));
  }

  private static RunOutcome build(RunnerConfig config, BuildSpec spec) throws Exception {
    BuildRunner runner = new BuildRunner(config, RunnerFixtures.steppingClock());
    try (BuildArea area = runner.prepare()) {
      return runner.run(area, RunRequest.of(spec), LogListener.ignore());
    }
  }

  private HostToolchains rustupHome() {
    return new HostToolchains(new TreeMap<>(Map.of("RUSTUP_HOME", rustup.rustupHome.toString())));
  }

  @Test
  void rustupProxy_withoutRustupHome_cannotChooseAToolchain() throws Exception {
    // The trap: the build's HOME is the build area's, where rustup has no settings.
    RunOutcome outcome = build(config, rust("cargo build", Map.of()));
    assertThat(outcome.status()).isEqualTo(BuildStatus.FAILED);
    assertThat(outcome.log().text()).contains("rustup could not choose a version of cargo");
    assertThat(outcome.tools()).as("nothing recorded without host toolchains").isEmpty();
  }

  @Test
  void rustupProxy_withRustupHome_buildsWithTheDefaultToolchain_andRecordsIt() throws Exception {
    RunOutcome outcome =
        build(config.withHostToolchains(rustupHome()), rust("cargo build", Map.of()));
    assertThat(outcome.status()).as(outcome.log().text()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(Files.readString(outcome.outputs().get(0).file()))
        .isEqualTo("built by cargo 1.79.0\n");
    assertThat(outcome.environment())
        .containsEntry("RUSTUP_HOME", rustup.rustupHome.toString())
        .doesNotContainKey("CARGO_HOME");
    Path toolchain = rustup.rustupHome.resolve("toolchains/" + FakeRustup.STABLE + "/bin");
    assertThat(outcome.tools().orElseThrow())
        .containsExactly(
            new ResolvedTool(
                "cargo",
                rustup.cargoBin.resolve("cargo").toString(),
                toolchain.resolve("cargo").toString(),
                "cargo 1.79.0 (fake)"),
            new ResolvedTool(
                "rustc",
                rustup.cargoBin.resolve("rustc").toString(),
                toolchain.resolve("rustc").toString(),
                "rustc 1.79.0 (fake)"));
  }

  @Test
  void buildJsonEnv_overridesAToolchainVariable() throws Exception {
    RunOutcome outcome =
        build(
            config.withHostToolchains(
                new HostToolchains(
                    new TreeMap<>(
                        Map.of(
                            "RUSTUP_HOME",
                            rustup.rustupHome.toString(),
                            "RUSTUP_TOOLCHAIN",
                            FakeRustup.STABLE)))),
            rust("cargo build", Map.of("RUSTUP_TOOLCHAIN", FakeRustup.NIGHTLY)));
    assertThat(outcome.status()).as(outcome.log().text()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(Files.readString(outcome.outputs().get(0).file()))
        .isEqualTo("built by cargo 1.81.0-nightly\n");
    assertThat(outcome.environment()).containsEntry("RUSTUP_TOOLCHAIN", FakeRustup.NIGHTLY);
    assertThat(outcome.tools().orElseThrow().get(0).version())
        .isEqualTo("cargo 1.81.0-nightly (fake)");
  }

  @Test
  void commandNotFound_failureNamesTheCommandAndThePath() throws Exception {
    RunOutcome outcome =
        build(
            config.withPath(RunnerConfig.DEFAULT_PATH).withHostToolchains(rustupHome()),
            rust("echo starting; teec-no-such-tool build", Map.of()));
    assertThat(outcome.status()).isEqualTo(BuildStatus.FAILED);
    assertThat(outcome.exitCode()).isEqualTo(127);
    assertThat(outcome.failure())
        .contains(
            "the build command exited with status 127: command not found: teec-no-such-tool"
                + " (looked up in PATH="
                + RunnerConfig.DEFAULT_PATH
                + ")");
    assertThat(outcome.tools()).contains(List.of());
  }

  @Test
  void commandNotFound_readsDashBashAndBusyboxMessages() {
    assertThat(notFound("x\n/bin/sh: 1: cargo: not found\n")).contains("cargo");
    assertThat(notFound("bash: line 3: go: command not found\n")).contains("go");
    assertThat(notFound("bash: mvn: command not found")).contains("mvn");
    assertThat(notFound("sh: make: not found\r\n")).contains("make");
    assertThat(notFound("error: linker `cc` not found\n")).isEmpty();
    assertThat(notFound("/bin/sh: 1: a: not found\n/bin/sh: 2: b: not found\n")).contains("b");
  }

  private static Optional<String> notFound(String log) {
    return CommandNotFound.in(
        new BuildLog(log.getBytes(java.nio.charset.StandardCharsets.UTF_8), false));
  }

  @Test
  void cTools_recordedWithTheirRealFilesAndVersions() throws Exception {
    assumeThat(HostCommands.which("gcc", RunnerConfig.DEFAULT_PATH))
        .as("gcc installed")
        .isPresent();
    RunOutcome outcome =
        build(
            config
                .withPath(RunnerConfig.DEFAULT_PATH)
                .withHostToolchains(HostToolchains.withoutVariables()),
            RunnerFixtures.spec("echo 'int main(void){return 0;}' > a.c && cc -o a a.c", "a"));
    assertThat(outcome.status()).as(outcome.log().text()).isEqualTo(BuildStatus.SUCCEEDED);
    ResolvedTool gcc =
        outcome.tools().orElseThrow().stream()
            .filter(t -> t.name().equals("gcc"))
            .findFirst()
            .orElseThrow();
    assertThat(gcc.path())
        .isEqualTo(HostCommands.which("gcc", RunnerConfig.DEFAULT_PATH).get().toString());
    assertThat(gcc.resolvedPath()).isEqualTo(Path.of(gcc.path()).toRealPath().toString());
    assertThat(gcc.version()).startsWith("gcc");
  }

  @Test
  void realRustup_recordsTheToolchainBinary_whenInstalled() throws Exception {
    Path home = Path.of(System.getProperty("user.home"));
    Path cargoBin = home.resolve(".cargo/bin");
    Path rustupHome = home.resolve(".rustup");
    assumeThat(Files.isExecutable(cargoBin.resolve("rustup"))).as("rustup installed").isTrue();
    RunOutcome outcome =
        build(
            config
                .withPath(cargoBin + ":" + RunnerConfig.DEFAULT_PATH)
                .withHostToolchains(
                    new HostToolchains(
                        new TreeMap<>(Map.of("RUSTUP_HOME", rustupHome.toString())))),
            rust("mkdir -p target/release && cargo --version > target/release/hello", Map.of()));
    assertThat(outcome.status()).as(outcome.log().text()).isEqualTo(BuildStatus.SUCCEEDED);
    ResolvedTool cargo = outcome.tools().orElseThrow().get(0);
    assertThat(cargo.path()).isEqualTo(cargoBin.resolve("cargo").toString());
    assertThat(cargo.resolvedPath())
        .startsWith(rustupHome.resolve("toolchains") + "/")
        .endsWith("/bin/cargo");
    assertThat(cargo.version() + "\n").isEqualTo(Files.readString(outcome.outputs().get(0).file()));
  }

  @Test
  void firstLine_skipsColourJvmNoticesAndBlankLines() {
    assertThat(
            HostCommands.firstLine(
                Optional.of(
                    "Picked up JAVA_TOOL_OPTIONS: -Dx=y\n\n\u001b[1mApache Maven 3.8.7\u001b[m\nMaven home")))
        .contains("Apache Maven 3.8.7");
    assertThat(HostCommands.firstLine(Optional.of("\n \n"))).isEmpty();
    assertThat(HostCommands.firstLine(Optional.of("v".repeat(300))).orElseThrow()).hasSize(256);
  }

  @Test
  void which_skipsRelativeEntriesAndNonExecutables() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("bin"));
    Files.writeString(dir.resolve("tool"), "#!/bin/sh\n");
    assertThat(HostCommands.which("tool", dir.toString())).isEmpty();
    dir.resolve("tool").toFile().setExecutable(true);
    assertThat(HostCommands.which("tool", "relative:" + dir)).contains(dir.resolve("tool"));
    assertThat(HostCommands.which("tool", "")).isEmpty();
  }

  @Test
  void hostToolchains_acceptOnlyToolchainVariables() {
    assertThatThrownBy(() -> new HostToolchains(new TreeMap<>(Map.of("CARGO_HOME", "/c"))))
        .hasMessageContaining("CARGO_HOME is not a toolchain variable");
    assertThatThrownBy(() -> new HostToolchains(new TreeMap<>(Map.of("GOROOT", ""))))
        .hasMessageContaining("non-empty");
    assertThat(
            HostToolchains.ofRecorded(
                    Map.of("RUSTUP_HOME", "/r", "JAVA_HOME", "/j", "PATH", "/bin", "GOROOT", "/g"),
                    Set.of("JAVA_HOME"))
                .environment())
        .containsExactly(Map.entry("GOROOT", "/g"), Map.entry("RUSTUP_HOME", "/r"));
  }
}
