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
    List<List<InitramfsTest.Read>> ramdisks = ramdisks(r.path());
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
  void build_extraCaCerts_appendedToDebiansBundle_otherPcr2_reproducible_listed() throws Exception {
    Fixture f = fixture();
    ImageResult plain = f.builder.build("c", false, false, s -> {});
    byte[] der = TestCertificates.ca("Egress CA");
    ExtraCaCerts certs =
        ExtraCaCerts.read(
            List.of(Files.writeString(temp.resolve("ca.pem"), TestCertificates.pem(der, 76))));
    ImageResult trusting = f.builder.withExtraCaCerts(certs).build("c", false, false, s -> {});
    assertThat(trusting.path()).isNotEqualTo(plain.path());
    assertThat(trusting.pcrs().get(1)).as("kernel and boot ramdisk").isEqualTo(plain.pcrs().get(1));
    for (int pcr : List.of(0, 2)) {
      assertThat(trusting.pcrs().get(pcr))
          .as("a verifier pinning the plain image's PCR%d rejects this image's documents", pcr)
          .isNotEqualTo(plain.pcrs().get(pcr));
    }
    assertThat(trusting.extraCaCerts()).isEqualTo(certs);
    assertThat(plain.extraCaCerts().isEmpty()).isTrue();
    assertThat(trusting.inputs()).containsKey("extra-ca-certs");
    assertThat(plain.inputs()).doesNotContainKey("extra-ca-certs");
    assertThat(ramdisks(trusting.path()).get(1))
        .filteredOn(e -> e.name().equals(ImageBuilder.CA_BUNDLE))
        .singleElement()
        .satisfies(
            e -> assertThat(e.data()).isEqualTo("debian bundle\n" + TestCertificates.pem(der, 64)));
    assertThat(ramdisks(plain.path()).get(1))
        .filteredOn(e -> e.name().equals(ImageBuilder.CA_BUNDLE))
        .singleElement()
        .satisfies(e -> assertThat(e.data()).isEqualTo("debian bundle\n"));
    assertThat(
            trusting
                .path()
                .resolveSibling(trusting.path().getFileName().toString().replace(".eif", ".json")))
        .content()
        .contains("\"extraCaCerts\"", certs.certificates().get(0).sha256(), "CN=Egress CA");

    byte[] bytes = Files.readAllBytes(trusting.path());
    ExtraCaCerts sameOtherwiseWritten =
        ExtraCaCerts.read(
            List.of(
                Files.writeString(
                    temp.resolve("ca2.pem"), "# the same CA\n" + TestCertificates.pem(der, 64))));
    ImageResult again =
        f.builder.withExtraCaCerts(sameOtherwiseWritten).build("c", true, false, s -> {});
    assertThat(again.path()).isEqualTo(trusting.path());
    assertThat(Files.readAllBytes(again.path())).isEqualTo(bytes);
  }

  @Test
  void build_extraCaCerts_rootfsWithoutCaBundle_refused() throws Exception {
    Fixture f = fixture();
    Path tar = f.builder.rootfsTar("c");
    Files.delete(tar);
    writeRootfs(tar, false);
    ExtraCaCerts certs =
        ExtraCaCerts.read(
            List.of(
                Files.writeString(
                    temp.resolve("ca.pem"),
                    TestCertificates.pem(TestCertificates.ca("Egress CA"), 64))));
    assertThatThrownBy(() -> f.builder.withExtraCaCerts(certs).build("c", false, false, s -> {}))
        .hasMessageContaining("no regular file etc/ssl/certs/ca-certificates.crt");
    try (var images = Files.list(f.home.images())) {
      assertThat(images.filter(p -> p.toString().endsWith(".eif"))).as("no image left").isEmpty();
    }
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
    writeRootfs(tar, true);
    return new Fixture(home, jar, builder);
  }

  /** A small root file system: /opt, /usr/bin/java and, if asked, Debian's CA bundle. */
  private static void writeRootfs(Path tar, boolean caBundle) throws Exception {
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      for (String d :
          List.of(
              "./", "./etc/", "./etc/ssl/", "./etc/ssl/certs/", "./opt/", "./usr/", "./usr/bin/")) {
        TarArchiveEntry e = new TarArchiveEntry(d);
        e.setMode(0755);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
      }
      file(t, "./usr/bin/java", 0755, "java");
      if (caBundle) {
        file(t, "./" + ImageBuilder.CA_BUNDLE, 0644, "debian bundle\n");
      }
    }
  }

  private static void file(TarArchiveOutputStream t, String name, int mode, String content)
      throws Exception {
    byte[] b = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(b.length);
    e.setMode(mode);
    t.putArchiveEntry(e);
    new ByteArrayInputStream(b).transferTo(t);
    t.closeArchiveEntry();
  }

  /** The EIF's ramdisks, read back: the boot one, then the application one. */
  private static List<List<InitramfsTest.Read>> ramdisks(Path eif) throws Exception {
    var m = EifReader.measure(eif);
    byte[] bytes = Files.readAllBytes(eif);
    List<List<InitramfsTest.Read>> ramdisks = new ArrayList<>();
    for (var s : m.sections()) {
      if (s.type().name().equals("RAMDISK")) {
        byte[] cpio =
            java.util.Arrays.copyOfRange(
                bytes, (int) s.offset() + 12, (int) (s.offset() + 12 + s.size()));
        ramdisks.add(InitramfsTest.read(cpio));
      }
    }
    return ramdisks;
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
