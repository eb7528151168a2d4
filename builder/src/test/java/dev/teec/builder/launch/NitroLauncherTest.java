package dev.teec.builder.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.builder.client.BuildClient;
import dev.teec.builder.client.BuildException;
import dev.teec.builder.client.BuildPlan;
import dev.teec.builder.client.BuildSummary;
import dev.teec.builder.client.FailureCode;
import dev.teec.builder.client.TrustRoots;
import dev.teec.builder.progress.Progress;
import dev.teec.builder.source.PackedSource;
import dev.teec.builder.source.SourcePacker;
import dev.teec.builder.source.SourceSelector;
import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.verifier.TrustAnchors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nitro mode end to end with fakes for what needs the hardware: nitro-cli (a command runner that
 * answers like it) and AF_VSOCK (a connector to a worker that says it runs in an enclave and
 * attests with a simulated NSM, whose root the test trusts in place of AWS's).
 */
class NitroLauncherTest {
  private static final String BUILD_JSON =
      "{\"language\":\"c\",\"input\":{\"cmd\":\"echo in the enclave; gcc -o hello hello.c\"},"
          + "\"output\":{\"files\":[\"hello\"]}}";

  @TempDir Path tmp;
  private FakeNitro nitro;
  private Path eif;
  private Path project;

  @BeforeEach
  void setUp() throws Exception {
    nitro = new FakeNitro(Files.createDirectories(tmp.resolve("enclave")));
    eif = Files.writeString(tmp.resolve("teec-c.eif"), "not really an image");
    project = Files.createDirectories(tmp.resolve("p"));
    Files.writeString(project.resolve("build.json"), BUILD_JSON);
    Files.writeString(project.resolve("hello.c"), "int main(void) { return 0; }\n");
  }

  private NitroLauncher launcher(boolean debug) throws Exception {
    NitroCli cli = new NitroCli("nitro-cli", nitro);
    ImageChoice image =
        new EifImageResolver(eif, cli)
            .resolve(BuildSpec.parse(BUILD_JSON.getBytes(StandardCharsets.UTF_8)));
    return new NitroLauncher(
        cli,
        new NitroSettings(
            image.eif(),
            image.pcrs(),
            2,
            4096,
            OptionalLong.of(16),
            debug,
            5000,
            Duration.ofSeconds(30),
            Duration.ofMillis(1)),
        nitro.vsock(),
        nitro.egress());
  }

  /** The enclave of the launch tests: no CID asked for, a one-second boot timeout. */
  private NitroSettings quickSettings() {
    return settings(5000, Duration.ofSeconds(1));
  }

  /** No CID asked for, no debug, retrying every millisecond. */
  private NitroSettings settings(int workerPort, Duration bootTimeout) {
    return new NitroSettings(
        eif,
        java.util.Map.of(),
        2,
        4096,
        OptionalLong.empty(),
        false,
        workerPort,
        bootTimeout,
        Duration.ofMillis(1));
  }

  private BuildSummary build(NitroLauncher launcher, Path out) throws Exception {
    PackedSource source =
        SourcePacker.pack(
            new SourceSelector().select(project, false, List.of()),
            Files.createDirectories(tmp.resolve("pack")));
    TrustRoots simulatedAsIfAws = () -> TrustAnchors.of(List.of(nitro.nsm.rootCertificate()));
    return new BuildClient(Clock.systemUTC(), new SecureRandom(), "test")
        .run(
            new BuildPlan(
                BUILD_JSON.getBytes(StandardCharsets.UTF_8), source, out, simulatedAsIfAws),
            launcher,
            Progress.NONE);
  }

  @Test
  void build_startsTheEnclave_buildsOverVsock_checksThePcrs_andTerminates() throws Exception {
    nitro.failConnects = 2;
    Path out = tmp.resolve("out/b.tar");
    BuildSummary summary = build(launcher(false), out);

    assertThat(out).isRegularFile();
    assertThat(summary.simulated()).isFalse();
    assertThat(summary.worker()).contains(FakeNitro.ID).contains("CID 16");
    List<String> events = nitro.events;
    assertThat(events.get(0)).isEqualTo("nitro-cli describe-eif --eif-path " + eif);
    assertThat(events)
        .containsSubsequence(
            "nitro-cli run-enclave --eif-path "
                + eif
                + " --cpu-count 2 --memory 4096 --enclave-cid 16",
            "egress started for CID 16",
            "nitro-cli describe-enclaves",
            "connect vsock:16:5000",
            "connect vsock:16:5000",
            "connect vsock:16:5000",
            "nitro-cli terminate-enclave --enclave-id " + FakeNitro.ID,
            "egress stopped");
    assertThat(events).noneMatch(e -> e.contains("--debug-mode"));
  }

  @Test
  void build_attestedPcrsDifferFromTheImage_rejected_noBundle_enclaveTerminated() throws Exception {
    nitro.eifPcr0 = "ab".repeat(48);
    Path out = tmp.resolve("out/b.tar");
    assertThatThrownBy(() -> build(launcher(false), out))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> {
              assertThat(e.code()).isEqualTo(FailureCode.ATTESTATION_REJECTED);
              assertThat(e.getMessage()).contains("policy.pcrs");
            });
    assertThat(Files.list(out.getParent())).isEmpty();
    assertThat(nitro.events)
        .contains("nitro-cli terminate-enclave --enclave-id " + FakeNitro.ID, "egress stopped");
  }

  @Test
  void build_workerSaysItIsSimulated_refusedBeforeSendingAnything() throws Exception {
    nitro.mode = dev.teec.enclave.protocol.WorkerMode.SIMULATED;
    Path out = tmp.resolve("out/b.tar");
    assertThatThrownBy(() -> build(launcher(false), out))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> {
              assertThat(e.code()).isEqualTo(FailureCode.WORKER_ERROR);
              assertThat(e.getMessage()).contains("says it is simulated");
            });
    assertThat(Files.list(out.getParent())).isEmpty();
    assertThat(nitro.events).contains("nitro-cli terminate-enclave --enclave-id " + FakeNitro.ID);
  }

  @Test
  void launch_enclaveRunsInDebugModeUnasked_refused_andTerminated() throws Exception {
    nitro.flags = "DEBUG_MODE";
    assertThatThrownBy(() -> launcher(false).launch(s -> {}))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("DEBUG_MODE");
    assertThat(nitro.events)
        .containsSubsequence(
            "nitro-cli terminate-enclave --enclave-id " + FakeNitro.ID, "egress stopped");
  }

  @Test
  void launch_debugRequested_passesDebugMode_andExpectsNoPcrs() throws Exception {
    nitro.flags = "DEBUG_MODE";
    try (WorkerHandle handle = launcher(true).launch(s -> {})) {
      assertThat(handle.debug()).isTrue();
      assertThat(handle.expectedPcrs()).isEmpty();
      assertThat(handle.description()).contains("DEBUG MODE");
    }
    assertThat(nitro.events)
        .anyMatch(e -> e.startsWith("nitro-cli run-enclave") && e.endsWith("--debug-mode"));
  }

  @Test
  void launch_runEnclaveFails_errorCarriesNitroCliMessage_noEgressStarted() throws Exception {
    NitroCli failing =
        new NitroCli(
            "nitro-cli",
            (command, timeout) -> {
              nitro.events.add(String.join(" ", command));
              return new CommandRunner.CommandResult(
                  1, "", "[ E26 ] Insufficient memory requested.");
            });
    NitroLauncher launcher =
        new NitroLauncher(failing, quickSettings(), nitro.vsock(), nitro.egress());
    assertThatThrownBy(() -> launcher.launch(s -> {}))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("E26")
        .hasMessageContaining("exit 1");
    assertThat(nitro.events)
        .containsExactly(
            "nitro-cli run-enclave --eif-path " + eif + " --cpu-count 2 --memory 4096");
  }

  @Test
  void launch_egressForwarderFails_enclaveTerminated() throws Exception {
    NitroLauncher launcher =
        new NitroLauncher(
            new NitroCli("nitro-cli", nitro),
            quickSettings(),
            nitro.vsock(),
            (cid, notes) -> {
              throw new java.io.IOException("address already in use");
            });
    assertThatThrownBy(() -> launcher.launch(s -> {}))
        .isInstanceOf(LaunchException.class)
        .hasMessage("cannot start the egress forwarder: address already in use");
    assertThat(nitro.events)
        .containsExactly(
            "nitro-cli run-enclave --eif-path " + eif + " --cpu-count 2 --memory 4096",
            "nitro-cli terminate-enclave --enclave-id " + FakeNitro.ID);
  }

  @Test
  void launch_emulated_saysSoInKindDescriptionAndHandle() throws Exception {
    NitroLauncher launcher =
        new NitroLauncher(
            new NitroCli("nitro-cli", nitro), quickSettings(), nitro.vsock(), nitro.egress(), true);
    assertThat(launcher.kind()).startsWith("EMULATED Nitro Enclave");
    try (WorkerHandle handle = launcher.launch(s -> {})) {
      assertThat(handle.emulated()).isTrue();
      assertThat(handle.simulated()).isFalse();
      assertThat(handle.description()).contains("EMULATED under QEMU");
    }
    assertThat(launcher(false).kind()).isEqualTo("Nitro Enclave");
  }

  @Test
  void close_terminateFails_hintNamesTheNitroCliThatWasUsed() throws Exception {
    nitro.refuseTerminate = true;
    List<String> notes = new java.util.ArrayList<>();
    NitroLauncher launcher =
        new NitroLauncher(
            new NitroCli("teec emulator nitro-cli", nitro),
            quickSettings(),
            nitro.vsock(),
            nitro.egress(),
            true);
    launcher.launch(notes::add).close();
    assertThat(notes)
        .anySatisfy(
            n ->
                assertThat(n)
                    .startsWith("WARNING: could not terminate enclave " + FakeNitro.ID)
                    .endsWith(
                        "stop it with: teec emulator nitro-cli terminate-enclave --enclave-id "
                            + FakeNitro.ID));
    nitro.refuseTerminate = false;
    new NitroCli("nitro-cli", nitro).terminateEnclave(FakeNitro.ID);
  }

  @Test
  void connect_workerNeverAnswers_failsAfterTheBootTimeout() throws Exception {
    NitroLauncher launcher =
        new NitroLauncher(
            new NitroCli("nitro-cli", nitro),
            settings(5001, Duration.ofMillis(20)),
            nitro.vsock(),
            nitro.egress());
    try (WorkerHandle handle = launcher.launch(s -> {})) {
      assertThatThrownBy(handle::connect)
          .isInstanceOf(LaunchException.class)
          .hasMessageContaining("vsock:16:5001")
          .hasMessageContaining("did not accept");
    }
    assertThat(nitro.events).contains("nitro-cli terminate-enclave --enclave-id " + FakeNitro.ID);
  }

  @Test
  void connect_enclaveStopsWhileBooting_failsAtOnce_withoutTerminatingAgain() throws Exception {
    nitro.failConnects = Integer.MAX_VALUE;
    NitroLauncher launcher =
        new NitroLauncher(
            new NitroCli("nitro-cli", nitro),
            settings(5000, Duration.ofMinutes(10)),
            nitro.vsock(),
            nitro.egress(),
            true);
    List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    try (WorkerHandle handle = launcher.launch(notes::add)) {
      nitro.exited = true;
      assertThatThrownBy(handle::connect)
          .isInstanceOf(LaunchException.class)
          .hasMessageContaining("enclave " + FakeNitro.ID + " is no longer running")
          .hasMessageContaining("vsock:16:5000")
          .hasMessageContaining("logs/enclave-" + FakeNitro.ID + ".console.log")
          .hasMessageContaining("logs/enclave-" + FakeNitro.ID + ".qemu.log");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("not the 10-minute boot timeout")
        .isLessThan(Duration.ofMinutes(1));
    assertThat(nitro.events).noneMatch(e -> e.contains("terminate-enclave"));
    assertThat(nitro.events).containsSubsequence("egress started for CID 16", "egress stopped");
    assertThat(notes).noneMatch(n -> n.contains("could not terminate"));
  }
}
