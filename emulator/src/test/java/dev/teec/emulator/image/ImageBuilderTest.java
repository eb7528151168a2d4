package dev.teec.emulator.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.ImageRecipe;
import dev.teec.emulator.setup.Installation;
import dev.teec.truststore.eif.EifReader;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image recipe, with a small root file system tar already in the cache (no mmdebstrap). */
class ImageBuilderTest {
  @TempDir Path temp;

  @Test
  void build_twice_identicalBytesAndPcrs_andReusedWithoutRebuild() throws Exception {
    Fixture f = fixture();
    ImageResult first = f.builder.build("c", false, false, s -> {});
    assertThat(first.reused()).isFalse();
    byte[] bytes = Files.readAllBytes(first.path());
    ImageResult again = f.builder.build("c", true, false, s -> {});
    assertThat(again.reused()).isFalse();
    assertThat(again.path()).isEqualTo(first.path());
    assertThat(Files.readAllBytes(again.path())).isEqualTo(bytes);
    assertThat(again.pcrs()).isEqualTo(first.pcrs());
    ImageResult reused = f.builder.build("c", false, false, s -> {});
    assertThat(reused.reused()).isTrue();
    assertThat(reused.pcrs()).isEqualTo(first.pcrs()).containsOnlyKeys(0, 1, 2);
    var m = EifReader.measure(first.path());
    assertThat(first.pcrs().get(0)).isEqualTo(m.pcr0().hex());
    assertThat(
            first
                .path()
                .resolveSibling(first.path().getFileName().toString().replace(".eif", ".json")))
        .content()
        .contains("\"rootfs\"", first.key());
  }

  @Test
  void build_otherWorker_changesPcr2Only_otherKernelChangesPcr0And1Only() throws Exception {
    Fixture f = fixture();
    ImageResult base = f.builder.build("c", false, false, s -> {});
    Files.writeString(f.jar, "another worker");
    ImageResult worker = f.builder.build("c", false, false, s -> {});
    assertThat(worker.path()).isNotEqualTo(base.path());
    assertThat(worker.pcrs().get(1)).isEqualTo(base.pcrs().get(1));
    assertThat(worker.pcrs().get(2)).isNotEqualTo(base.pcrs().get(2));

    Installation otherKernel = installation(temp.resolve("setup2"), "another kernel");
    ImageResult kernel =
        new ImageBuilder(
                f.home,
                ImageRecipe.bundled(),
                otherKernel,
                List.of(f.jar),
                Map.of(),
                Clock.systemUTC())
            .build("c", false, false, s -> {});
    assertThat(kernel.pcrs().get(2))
        .as("the application ramdisk does not depend on the kernel")
        .isEqualTo(worker.pcrs().get(2));
    assertThat(kernel.pcrs().get(1)).isNotEqualTo(worker.pcrs().get(1));
  }

  @Test
  void build_bootAndApplicationRamdisks_holdInitModulesAndWorkerWhereTheDockerfilePutsThem()
      throws Exception {
    Fixture f = fixture();
    ImageResult r = f.builder.build("c", false, false, s -> {});
    var m = EifReader.measure(r.path());
    byte[] eif = Files.readAllBytes(r.path());
    List<List<InitramfsTest.Read>> ramdisks = new ArrayList<>();
    for (var s : m.sections()) {
      if (s.type().name().equals("RAMDISK")) {
        byte[] cpio =
            java.util.Arrays.copyOfRange(
                eif, (int) s.offset() + 12, (int) (s.offset() + 12 + s.size()));
        ramdisks.add(InitramfsTest.read(cpio));
      }
    }
    assertThat(ramdisks).hasSize(2);
    assertThat(ramdisks.get(0))
        .extracting(InitramfsTest.Read::name)
        .contains(
            "init",
            "teec-init/busybox",
            "teec-init/modules/nsm.ko",
            "teec-init/modules/vmw_vsock_virtio_transport.ko");
    assertThat(ramdisks.get(0))
        .filteredOn(e -> e.name().equals("init"))
        .singleElement()
        .satisfies(e -> assertThat(e.data()).startsWith("#!/teec-init/busybox sh"));
    assertThat(ramdisks.get(1))
        .extracting(InitramfsTest.Read::name)
        .contains("opt/teec/worker/teec-cli.jar", "opt/teec/start-worker", "usr/bin/java");
  }

  @Test
  void build_unknownLanguage_refused() throws Exception {
    Fixture f = fixture();
    assertThatThrownBy(() -> f.builder.build("cobol", false, false, s -> {}))
        .hasMessageContaining("unknown language");
  }

  private record Fixture(EmulatorHome home, Path jar, ImageBuilder builder) {}

  private Fixture fixture() throws Exception {
    EmulatorHome home = new EmulatorHome(temp.resolve("home"));
    Path jar = Files.writeString(temp.resolve("teec-cli.jar"), "worker");
    ImageBuilder builder =
        new ImageBuilder(
            home,
            ImageRecipe.bundled(),
            installation(temp.resolve("setup"), "kernel"),
            List.of(jar),
            Map.of(),
            Clock.systemUTC());
    Path tar = builder.rootfsTar("c");
    Files.createDirectories(tar.getParent());
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      for (String d : List.of("./", "./opt/", "./usr/", "./usr/bin/")) {
        TarArchiveEntry e = new TarArchiveEntry(d);
        e.setMode(0755);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
      }
      TarArchiveEntry java = new TarArchiveEntry("./usr/bin/java");
      java.setSize(4);
      java.setMode(0755);
      t.putArchiveEntry(java);
      new ByteArrayInputStream("java".getBytes()).transferTo(t);
      t.closeArchiveEntry();
    }
    return new Fixture(home, jar, builder);
  }

  /** A setup with the files an image takes from it, recorded with their digests. */
  static Installation installation(Path dir, String kernel) throws Exception {
    Files.createDirectories(dir.resolve("kernel/modules"));
    Files.createDirectories(dir.resolve("busybox"));
    Files.writeString(dir.resolve("kernel/vmlinuz"), kernel);
    for (String module : Installation.MODULES) {
      Files.writeString(dir.resolve("kernel/modules").resolve(module), module);
    }
    Files.writeString(dir.resolve("busybox/busybox"), "busybox");
    Map<String, String> files = new java.util.TreeMap<>();
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), dev.teec.digest.Digests.sha256Hex(p));
      }
    }
    return new Installation(dir, "test", Map.of(), files);
  }
}
