package dev.teec.builder.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWorkerLauncherTest {
  @TempDir Path tmp;

  @Test
  void command_oneSessionWithTheSimulatedNsm_inItsOwnSession() {
    LocalWorkerSettings settings =
        LocalWorkerSettings.ofThisJvm(tmp.resolve("home"))
            .withBuildRoot(tmp.resolve("b"))
            .withPath("/opt/bin:/usr/bin")
            .withToolchainEnvironment(java.util.Map.of("RUSTUP_HOME", "/u/.rustup"))
            .withIsolation("none");
    List<String> command = new LocalWorkerLauncher(settings).command(Path.of("/run/w.sock"));
    assertThat(command)
        .containsSubsequence(
            LocalWorkerLauncher.WORKER_MAIN,
            "--listen",
            "unix:/run/w.sock",
            "--nsm",
            "simulated",
            "--teec-home",
            tmp.resolve("home").toString(),
            "--build-root",
            tmp.resolve("b").toString(),
            "--path",
            "/opt/bin:/usr/bin",
            "--isolation",
            "none",
            "--host-toolchains",
            "--toolchain-env",
            "RUSTUP_HOME=/u/.rustup",
            "--once");
  }

  @Test
  void command_jvmOptions_comeAfterTheCollectorBeforeTheClassPath() {
    LocalWorkerSettings settings = LocalWorkerSettings.ofThisJvm(tmp.resolve("home"));
    LocalWorkerSettings shared =
        new LocalWorkerSettings(
            settings.javaBinary(),
            "/opt/teec/lib/teec-cli.jar",
            List.of("-XX:SharedArchiveFile=/opt/teec/lib/teec-cli.jsa", "-Xshare:auto"),
            settings.teecHome(),
            settings.buildRoot(),
            settings.path(),
            settings.toolchainEnvironment(),
            "none",
            settings.startTimeout());
    List<String> command = new LocalWorkerLauncher(shared).command(Path.of("/run/w.sock"));
    assertThat(command)
        .containsSubsequence(
            settings.javaBinary().toString(),
            "-XX:+UseSerialGC",
            "-XX:SharedArchiveFile=/opt/teec/lib/teec-cli.jsa",
            "-Xshare:auto",
            "-cp",
            "/opt/teec/lib/teec-cli.jar",
            LocalWorkerLauncher.WORKER_MAIN);
  }

  @Test
  void sharingOptions_onlyTheClassDataSharingOnesArePassedOn() {
    assertThat(
            LocalWorkerSettings.sharingOptions(
                List.of(
                    "-Xmx1g",
                    "-XX:SharedArchiveFile=/a/teec-cli.jsa",
                    "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                    "-Xshare:auto",
                    "-Dteec.x=y",
                    "-Xlog:cds=off",
                    "-XX:TieredStopAtLevel=1")))
        .containsExactly("-XX:SharedArchiveFile=/a/teec-cli.jsa", "-Xshare:auto", "-Xlog:cds=off");
  }

  @Test
  void settings_refuseVariablesThatAreNotToolchainVariables() {
    assertThatThrownBy(
            () ->
                LocalWorkerSettings.ofThisJvm(tmp.resolve("home"))
                    .withToolchainEnvironment(java.util.Map.of("CARGO_HOME", "/u/.cargo")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CARGO_HOME is not a toolchain variable");
  }

  @Test
  void launch_workerClassesMissing_failsWithTheWorkersError() {
    LocalWorkerSettings settings = LocalWorkerSettings.ofThisJvm(tmp.resolve("home"));
    LocalWorkerSettings noClasses =
        new LocalWorkerSettings(
            settings.javaBinary(),
            tmp.toString(),
            settings.jvmOptions(),
            settings.teecHome(),
            tmp.resolve("b"),
            settings.path(),
            settings.toolchainEnvironment(),
            "none",
            settings.startTimeout());
    assertThatThrownBy(() -> new LocalWorkerLauncher(noClasses).launch(s -> {}))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("the local worker did not start")
        .hasMessageContaining("WorkerMain");
  }

  @Test
  void launch_javaMissing_failsSayingSo() {
    LocalWorkerSettings settings = LocalWorkerSettings.ofThisJvm(tmp.resolve("home"));
    LocalWorkerSettings noJava =
        new LocalWorkerSettings(
            tmp.resolve("no-java"),
            settings.classPath(),
            settings.jvmOptions(),
            settings.teecHome(),
            tmp.resolve("b"),
            settings.path(),
            settings.toolchainEnvironment(),
            "none",
            settings.startTimeout());
    assertThatThrownBy(() -> new LocalWorkerLauncher(noJava).launch(s -> {}))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("no-java");
  }
}
