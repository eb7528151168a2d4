package dev.teec.emulator.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.FakeRecipes;
import dev.teec.emulator.ImageRecipe;
import dev.teec.emulator.StepFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorSetupTest {
  /** Makes what setup.sh makes, counting its runs in $RUNS. */
  private static final String FAKE_SETUP =
      """
      #!/bin/sh
      set -eu
      out=$1
      echo run >> "$RUNS"
      echo "@@step fake: making the files"
      mkdir -p "$out/qemu/bin" "$out/qemu/share/seabios" "$out/qemu/share/qemu" "$out/vsock" "$out/kernel/modules" "$out/busybox"
      echo qemu > "$out/qemu/qemu-system-x86_64"
      echo qemu-bin > "$out/qemu/bin/qemu-system-x86_64"
      echo vsock > "$out/vsock/vhost-device-vsock"
      echo kernel > "$out/kernel/vmlinuz"
      for m in virtio_mmio nsm vsock vmw_vsock_virtio_transport_common vmw_vsock_virtio_transport; do echo $m > "$out/kernel/modules/$m.ko"; done
      echo busybox > "$out/busybox/busybox"
      printf 'QEMU_VERSION=10.0.13\\nVSOCK_VERSION=0.3.0-2\\n' > "$out/versions.env"
      if [ -n "${FAIL:-}" ]; then echo "@@step fake: the failing part"; echo "something broke" >&2; exit 7; fi
      """;

  @TempDir Path temp;

  @Test
  void run_secondTime_doesNothingAndSaysSo() throws Exception {
    Fixture f = fixture(Map.of());
    List<String> progress = new ArrayList<>();
    SetupResult first = f.setup.run(false, progress::add);
    assertThat(first.changed()).isTrue();
    assertThat(progress).contains("fake: making the files");
    assertThat(first.installation().qemu())
        .isEqualTo(f.home.setup().resolve("qemu/qemu-system-x86_64"));
    assertThat(first.installation().versions()).containsEntry("QEMU_VERSION", "10.0.13");
    assertThat(first.installation().key()).isEqualTo(f.setup.key());

    SetupResult second = f.setup.run(false, progress::add);
    assertThat(second.changed()).isFalse();
    assertThat(second.log()).isEmpty();
    assertThat(Files.readAllLines(f.runs)).hasSize(1);
    assertThat(f.setup.current()).isPresent();
  }

  @Test
  void run_afterAFileOfTheSetupChanged_setsUpAgain() throws Exception {
    Fixture f = fixture(Map.of());
    f.setup.run(false, s -> {});
    Files.writeString(f.home.setup().resolve("kernel/vmlinuz"), "tampered");
    assertThat(f.setup.current()).isEmpty();
    List<String> progress = new ArrayList<>();
    assertThat(f.setup.run(false, progress::add).changed()).isTrue();
    assertThat(progress).anyMatch(p -> p.contains("damaged (kernel/vmlinuz has changed)"));
    assertThat(Files.readAllLines(f.runs)).hasSize(2);
  }

  @Test
  void run_failingScript_namesTheStepAndLogAndKeepsThePreviousSetup() throws Exception {
    Fixture good = fixture(Map.of());
    good.setup.run(false, s -> {});
    String before = Files.readString(good.home.setup().resolve(Installation.STAMP));
    EmulatorSetup failing =
        new EmulatorSetup(good.home, good.recipe, with(good.env, "FAIL", "1"), Clock.systemUTC());
    assertThatThrownBy(() -> failing.run(true, s -> {}))
        .isInstanceOf(StepFailedException.class)
        .hasMessageContaining("step 'fake: the failing part' failed: exit code 7")
        .hasMessageContaining("something broke")
        .hasMessageContaining("(log: " + good.home.logs());
    assertThat(Files.readString(good.home.setup().resolve(Installation.STAMP))).isEqualTo(before);
    try (var left = Files.list(good.home.root())) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".setup-"));
    }
  }

  @Test
  void run_failingFirstTime_leavesNoSetup() throws Exception {
    Fixture f = fixture(Map.of("FAIL", "1"));
    assertThatThrownBy(() -> f.setup.run(false, s -> {})).isInstanceOf(StepFailedException.class);
    assertThat(f.home.setup()).doesNotExist();
    assertThat(f.setup.current()).isEmpty();
  }

  @Test
  void run_hostWithoutMmdebstrap_failsNamingWhatToInstall() throws Exception {
    ImageRecipe recipe =
        FakeRecipes.withScript(temp.resolve("recipe"), "emulator/setup.sh", FAKE_SETUP);
    Map<String, String> env =
        FakeRecipes.hostWith(temp.resolve("bin"), List.of("sh", "curl", "sha256sum", "dpkg-deb"));
    EmulatorSetup setup =
        new EmulatorSetup(
            new EmulatorHome(temp.resolve("home")),
            recipe,
            Map.of("PATH", env.get("PATH").replace(":/usr/bin:/bin", "")),
            Clock.systemUTC());
    assertThatThrownBy(() -> setup.run(false, s -> {}))
        .hasMessageContaining("missing on this host: mmdebstrap")
        .hasMessageContaining("apt-get install mmdebstrap");
  }

  @Test
  void current_setupFromAnotherRecipe_isNotCurrent() throws Exception {
    Fixture f = fixture(Map.of());
    f.setup.run(false, s -> {});
    ImageRecipe other =
        FakeRecipes.withScript(
            temp.resolve("other"), "emulator/setup.sh", FAKE_SETUP + "# another\n");
    EmulatorSetup changed = new EmulatorSetup(f.home, other, f.env, Clock.systemUTC());
    assertThat(changed.current()).isEmpty();
    List<String> progress = new ArrayList<>();
    assertThat(changed.run(false, progress::add).changed()).isTrue();
    assertThat(progress).anyMatch(p -> p.contains("made from another recipe"));
  }

  private record Fixture(
      EmulatorHome home,
      ImageRecipe recipe,
      Map<String, String> env,
      Path runs,
      EmulatorSetup setup) {}

  private Fixture fixture(Map<String, String> extra) throws Exception {
    Path dir = Files.createTempDirectory(temp, "f");
    ImageRecipe recipe =
        FakeRecipes.withScript(dir.resolve("recipe"), "emulator/setup.sh", FAKE_SETUP);
    Map<String, String> env =
        new java.util.HashMap<>(FakeRecipes.hostWith(dir.resolve("bin"), EmulatorSetup.TOOLS));
    Path runs = dir.resolve("runs");
    env.put("RUNS", runs.toString());
    env.putAll(extra);
    EmulatorHome home = new EmulatorHome(dir.resolve("home"));
    return new Fixture(
        home, recipe, env, runs, new EmulatorSetup(home, recipe, env, Clock.systemUTC()));
  }

  private static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> m = new java.util.HashMap<>(env);
    m.put(key, value);
    return m;
  }
}
