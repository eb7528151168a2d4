package dev.teec.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PinsTest {
  @Test
  void parse_bareSingleAndDoubleQuotedValues_takenLiterally() {
    Pins p = Pins.parse("t", "# comment\n\nA=1\nB='x \"$1\" y'\nC=\"a b\"\n");
    assertThat(p.all())
        .containsExactly(
            java.util.Map.entry("A", "1"),
            java.util.Map.entry("B", "x \"$1\" y"),
            java.util.Map.entry("C", "a b"));
  }

  @Test
  void parse_lineThatIsNoAssignment_rejectedWithItsNumber() {
    assertThatThrownBy(() -> Pins.parse("pins.env", "A=1\nnot an assignment\n"))
        .hasMessageContaining("pins.env line 2");
  }

  @Test
  void parse_unbalancedQuotes_rejected() {
    assertThatThrownBy(() -> Pins.parse("t", "A='x\n")).hasMessageContaining("unbalanced quotes");
    assertThatThrownBy(() -> Pins.parse("t", "A='x'y'\n"))
        .hasMessageContaining("unbalanced quotes");
  }

  @Test
  void parse_unquotedSpaceOrExpansion_rejected() {
    assertThatThrownBy(() -> Pins.parse("t", "A=$HOME\n")).hasMessageContaining("unquoted");
    assertThatThrownBy(() -> Pins.parse("t", "A=a\\ b\n")).hasMessageContaining("unquoted");
  }

  @Test
  void get_unassignedKey_fails() {
    assertThatThrownBy(() -> Pins.parse("t", "A=1").get("B")).hasMessageContaining("no B");
  }

  @Test
  void bundledRecipe_pinsEveryDownloadByDigest() {
    Pins p = ImageRecipe.bundled().pins();
    for (String key :
        new String[] {
          "DEBIAN_RELEASE_SHA256",
          "QEMU_DSC_SHA256",
          "KERNEL_DEB_SHA256",
          "BUSYBOX_DEB_SHA256",
          "VSOCK_DEB_SHA256"
        }) {
      assertThat(p.get(key)).as(key).matches("[0-9a-f]{64}");
    }
    assertThat(p.get("KERNEL_CMDLINE"))
        .contains("console=ttyS0")
        .doesNotContain("virtio_mmio.device=");
    assertThat(p.get("SOURCE_DATE_EPOCH")).matches("[0-9]+");
  }
}
