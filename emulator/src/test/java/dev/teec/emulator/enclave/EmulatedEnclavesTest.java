package dev.teec.emulator.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.setup.Installation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nitro-cli stand-in's lifecycle, with scripts in place of QEMU and vhost-device-vsock. */
class EmulatedEnclavesTest {
  /** Records its pid, creates the backend's socket file, then waits. */
  private static final String FAKE_BACKEND =
      """
      #!/bin/sh
      echo $$ > "$(dirname "$0")/pid"
      while [ $# -gt 0 ]; do [ "$1" = --socket ] && : > "$2"; shift; done
      exec sleep 600
      """;

  /** Writes to the serial file, then waits; exits at once when $FAIL_QEMU is set. */
  private static final String FAKE_QEMU =
      """
      #!/bin/sh
      [ -n "${FAIL_QEMU:-}" ] && { echo "qemu-system-x86_64: bad EIF" >&2; exit 1; }
      echo "$@" > "$(dirname "$0")/args"
      echo "qemu-system-x86_64: warning: from the fake" >&2
      for a in "$@"; do case $a in file:*) echo "[    0.000000] Linux version" > "${a#file:}" ;; esac; done
      exec sleep 600
      """;

  @TempDir Path temp;

  @Test
  void runDescribeTerminate_leaveNoProcessOrSocketBehind() throws Exception {
    Installation installation = fakeInstallation(temp.resolve("setup"));
    EmulatorHome home = new EmulatorHome(temp.resolve("home"));
    EmulatedEnclaves enclaves =
        new EmulatedEnclaves(home, installation, Map.of("PATH", "/usr/bin:/bin"));
    Path eif = Files.writeString(temp.resolve("teec-c.eif"), "not measured here");

    EnclaveRecord e = enclaves.run(eif, 2, 4096, OptionalLong.empty(), true);
    assertThat(e.cid()).isEqualTo(EmulatedEnclaves.FIRST_CID);
    assertThat(e.id()).matches("i-[0-9a-f]{17}-enc[0-9a-f]{16}");
    assertThat(e.name()).isEqualTo("teec-c");
    assertThat(e.running()).isTrue();
    String args = Files.readString(temp.resolve("setup/qemu/args"));
    assertThat(args)
        .contains(
            "-M nitro-enclave,vsock=vsock0,id=" + e.id() + ",parent-id=",
            ",acpi=on",
            "-accel tcg,thread=single",
            "-global virtio-mmio.ioeventfd=off",
            "-kernel " + eif.toAbsolutePath(),
            "-m 4096M",
            "-smp 2",
            "-no-reboot",
            "-chardev socket,id=vsock0,path=" + home.run().resolve("16/vhost.sock"));

    EnclaveRecord second = enclaves.run(eif, 1, 512, OptionalLong.empty(), false);
    assertThat(second.cid()).isEqualTo(17);
    assertThatThrownBy(() -> enclaves.run(eif, 1, 512, OptionalLong.of(16), false))
        .hasMessageContaining("CID 16 is already running");
    assertThat(enclaves.list()).extracting(EnclaveRecord::id).containsExactly(e.id(), second.id());
    assertThat(enclaves.hostSocket(16)).isEqualTo(home.run().resolve("16/vm.vsock"));

    assertThat(enclaves.terminate(e.id())).contains(e);
    assertThat(e.qemu().flatMap(EnclaveRecord.ProcessRef::handle)).isEmpty();
    assertThat(e.backend().flatMap(EnclaveRecord.ProcessRef::handle)).isEmpty();
    assertThat(home.run().resolve("16")).doesNotExist();
    assertThat(home.logs().resolve("enclave-" + e.id() + ".console.log"))
        .isEqualTo(enclaves.consoleLog(e.id()))
        .content()
        .contains("Linux version");
    assertThat(home.logs().resolve("enclave-" + e.id() + ".qemu.log"))
        .isEqualTo(enclaves.qemuLog(e.id()))
        .content()
        .contains("warning: from the fake");
    assertThat(enclaves.terminate(e.id())).isEmpty();
    assertThat(enclaves.list()).containsExactly(second);
    enclaves.terminate(second.id());
    assertThat(enclaves.list()).isEmpty();
  }

  @Test
  void list_enclaveWhoseQemuDied_isCleanedUp() throws Exception {
    EmulatorHome home = new EmulatorHome(temp.resolve("home"));
    EmulatedEnclaves enclaves =
        new EmulatedEnclaves(home, fakeInstallation(temp.resolve("setup")), Map.of());
    EnclaveRecord e =
        enclaves.run(
            Files.writeString(temp.resolve("x.eif"), "x"), 1, 256, OptionalLong.empty(), false);
    ProcessHandle qemu = e.qemu().flatMap(EnclaveRecord.ProcessRef::handle).orElseThrow();
    qemu.destroyForcibly();
    qemu.onExit().get();
    assertThat(enclaves.list()).isEmpty();
    assertThat(e.backend().flatMap(EnclaveRecord.ProcessRef::handle)).isEmpty();
    assertThat(home.run().resolve(Long.toString(e.cid()))).doesNotExist();
  }

  @Test
  void run_qemuFails_reportsItsErrorAndStopsTheBackend() throws Exception {
    EmulatorHome home = new EmulatorHome(temp.resolve("home"));
    EmulatedEnclaves enclaves =
        new EmulatedEnclaves(
            home, fakeInstallation(temp.resolve("setup")), Map.of("FAIL_QEMU", "1"));
    Path eif = Files.writeString(temp.resolve("x.eif"), "x");
    assertThatThrownBy(() -> enclaves.run(eif, 1, 256, OptionalLong.empty(), false))
        .hasMessageContaining("QEMU exited (1)")
        .hasMessageContaining("bad EIF");
    assertThat(home.run().resolve("16")).doesNotExist();
    try (var kept = Files.list(home.logs())) {
      assertThat(kept.filter(f -> f.getFileName().toString().endsWith(".qemu.log")))
          .singleElement()
          .satisfies(f -> assertThat(f).content().contains("bad EIF"));
    }
    long backend = Long.parseLong(Files.readString(temp.resolve("setup/vsock/pid")).strip());
    assertThat(ProcessHandle.of(backend).filter(ProcessHandle::isAlive))
        .as("the backend")
        .isEmpty();
  }

  @Test
  void run_missingEifOrTooLittle_refusedBeforeStartingAnything() throws Exception {
    EmulatedEnclaves enclaves =
        new EmulatedEnclaves(
            new EmulatorHome(temp.resolve("home")),
            fakeInstallation(temp.resolve("setup")),
            Map.of());
    assertThatThrownBy(
            () -> enclaves.run(temp.resolve("none.eif"), 1, 256, OptionalLong.empty(), false))
        .hasMessageContaining("no such enclave image file");
    Path eif = Files.writeString(temp.resolve("x.eif"), "x");
    assertThatThrownBy(() -> enclaves.run(eif, 0, 256, OptionalLong.empty(), false))
        .hasMessageContaining("at least");
    assertThatThrownBy(() -> enclaves.run(eif, 1, 256, OptionalLong.of(2), false))
        .hasMessageContaining("out of range");
  }

  /** An installation whose QEMU and backend are the fakes above. */
  static Installation fakeInstallation(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("qemu"));
    Files.createDirectories(dir.resolve("vsock"));
    script(dir.resolve("qemu/qemu-system-x86_64"), FAKE_QEMU);
    script(dir.resolve("vsock/vhost-device-vsock"), FAKE_BACKEND);
    return new Installation(dir, "fake", Map.of(), Map.of());
  }

  private static void script(Path p, String text) throws Exception {
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
