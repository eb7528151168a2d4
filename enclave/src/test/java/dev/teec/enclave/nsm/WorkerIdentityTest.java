package dev.teec.enclave.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PCR derivation of SPEC.md W4, recomputed independently here. */
class WorkerIdentityTest {
  @TempDir Path tmp;

  private static byte[] sha384(byte[]... parts) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-384");
    for (byte[] p : parts) {
      d.update(p);
    }
    return d.digest();
  }

  /** 4-byte big-endian length, then the bytes. */
  private static byte[] lp(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        new byte[] {
          (byte) (b.length >>> 24),
          (byte) (b.length >>> 16),
          (byte) (b.length >>> 8),
          (byte) b.length
        });
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static byte[] lp(String s) {
    return lp(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void of_digestsAndPcrs_followTheSpec() throws Exception {
    WorkerIdentity id = WorkerIdentity.of("teec-worker", "runtime", "code");

    byte[] runtime = sha384(lp("teec-simulated-nsm/runtime/v1"), lp("runtime"));
    byte[] code = sha384(lp("teec-simulated-nsm/code/v1"), lp("code"));
    assertThat(id.runtimeDigest()).isEqualTo(runtime);
    assertThat(id.codeDigest()).isEqualTo(code);
    Map<Integer, byte[]> pcrs = id.pcrs();
    assertThat(pcrs.keySet()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    assertThat(pcrs.get(0))
        .isEqualTo(
            sha384(lp("teec-simulated-nsm/pcr0/v1"), lp("teec-worker"), lp(runtime), lp(code)));
    assertThat(pcrs.get(1)).isEqualTo(sha384(lp("teec-simulated-nsm/pcr1/v1"), lp(runtime)));
    assertThat(pcrs.get(2)).isEqualTo(sha384(lp("teec-simulated-nsm/pcr2/v1"), lp(code)));
    for (int i = 3; i < 16; i++) {
      assertThat(pcrs.get(i)).isEqualTo(new byte[48]);
    }
  }

  /**
   * The values SPEC.md W4 quotes for {@code WorkerIdentity.of("teec-worker", "runtime", "code")}.
   */
  @Test
  void of_knownAnswer_matchesSpecExample() {
    Map<Integer, byte[]> pcrs = WorkerIdentity.of("teec-worker", "runtime", "code").pcrs();

    HexFormat hex = HexFormat.of();
    assertThat(hex.formatHex(pcrs.get(0)))
        .isEqualTo(
            "dbef316db2320919c3fcb0c459e2b9cb075d86c0c1d73b92dcc897b4fe9b76e8ca262e29d2fcdab1db115ca3916a0ae5");
    assertThat(hex.formatHex(pcrs.get(1)))
        .isEqualTo(
            "63d085f343f1c7bbc8cb96957c41cca2cb991ea8d077a0af6c70a870f6116345019490e80144aec3b367e629c2aa5cc1");
    assertThat(hex.formatHex(pcrs.get(2)))
        .isEqualTo(
            "c22ce96f6599d19f47bdbebc620c8bf4c6ba8574d20c9f6ecbdcf5477601c65205cab40c2c5b85c1c9fc860f075a3150");
  }

  @Test
  void measure_classpath_hashesContentInOrder() throws Exception {
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    Files.createDirectories(classes.resolve("a"));
    Files.writeString(classes.resolve("a/B.class"), "bee");
    Files.writeString(classes.resolve("C.txt"), "sea");
    Path jar = Files.writeString(tmp.resolve("lib.jar"), "jar bytes");

    WorkerIdentity id = WorkerIdentity.measure("w", "rt", List.of(classes, jar));

    // Files of a directory sorted by '/'-separated relative path: "C.txt" < "a/B.class".
    byte[] dir =
        sha384(lp("C.txt"), sha384("sea".getBytes()), lp("a/B.class"), sha384("bee".getBytes()));
    byte[] code =
        sha384(
            lp("teec-simulated-nsm/classpath/v1"),
            lp("dir"),
            dir,
            lp("file"),
            sha384("jar bytes".getBytes()));
    assertThat(id.codeDigest()).isEqualTo(code);
    assertThat(id)
        .isEqualTo(new WorkerIdentity("w", WorkerIdentity.of("w", "rt", "").runtimeDigest(), code));
  }

  @Test
  void measure_sameContentElsewhere_sameIdentity() throws Exception {
    Path one =
        Files.writeString(Files.createDirectories(tmp.resolve("one")).resolve("worker.jar"), "x");
    Path two =
        Files.writeString(Files.createDirectories(tmp.resolve("two")).resolve("renamed.jar"), "x");

    assertThat(WorkerIdentity.measure("w", "rt", List.of(one)))
        .isEqualTo(WorkerIdentity.measure("w", "rt", List.of(two)));
  }

  @Test
  void measure_changedContentOrOrder_changesCodeDigest() throws Exception {
    Path a = Files.writeString(tmp.resolve("a.jar"), "a");
    Path b = Files.writeString(tmp.resolve("b.jar"), "b");
    WorkerIdentity ab = WorkerIdentity.measure("w", "rt", List.of(a, b));

    assertThat(WorkerIdentity.measure("w", "rt", List.of(b, a)).codeDigest())
        .isNotEqualTo(ab.codeDigest());
    Files.writeString(b, "b2");
    assertThat(WorkerIdentity.measure("w", "rt", List.of(a, b)).codeDigest())
        .isNotEqualTo(ab.codeDigest());
  }

  @Test
  void measure_missingEntry_isRefused() {
    Path missing = tmp.resolve("missing.jar");

    assertThatThrownBy(() -> WorkerIdentity.measure("w", "rt", List.of(missing)))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot measure classpath entry " + missing + ": not a file or directory");
  }

  @Test
  void fromSystemProperties_readsClasspathAndRuntime() throws Exception {
    Path a = Files.writeString(tmp.resolve("a.jar"), "a");
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    Properties p = new Properties();
    p.setProperty("path.separator", ":");
    p.setProperty("java.class.path", a + "::" + classes);
    p.setProperty("java.vm.vendor", "Vendor");
    p.setProperty("java.runtime.version", "17.0.15+6");
    p.setProperty("os.name", "Linux");
    p.setProperty("os.arch", "amd64");

    assertThat(WorkerIdentity.fromSystemProperties("w", p))
        .isEqualTo(
            WorkerIdentity.measure("w", "Vendor\n17.0.15+6\nLinux\namd64", List.of(a, classes)));
  }

  @Test
  void constructor_badValues_areRefused() {
    assertThatThrownBy(() -> new WorkerIdentity(" ", new byte[48], new byte[48]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> new WorkerIdentity("w", new byte[32], new byte[48]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("runtimeDigest must be a 48-byte SHA-384 digest, got 32 bytes");
  }

  @Test
  void pcrs_ofAnyIdentity_areNotDebugMode() {
    Map<Integer, byte[]> pcrs = new WorkerIdentity("w", new byte[48], new byte[48]).pcrs();

    for (int i = 0; i < 3; i++) {
      assertThat(pcrs.get(i)).isNotEqualTo(new byte[48]);
    }
  }
}
