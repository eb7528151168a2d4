package dev.teec.enclave.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeecHomeTest {
  @Test
  void resolve_withoutOverride_isDotTeecInUserHome() {
    assertThat(TeecHome.resolve(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.teec"));
  }

  @Test
  void resolve_withOverride_usesTeecHome() {
    assertThat(TeecHome.resolve(Map.of("TEEC_HOME", "/srv/teec"), "/home/u"))
        .isEqualTo(Path.of("/srv/teec"));
  }

  @Test
  void resolve_emptyOverride_isIgnored() {
    assertThat(TeecHome.resolve(Map.of("TEEC_HOME", ""), "/home/u"))
        .isEqualTo(Path.of("/home/u/.teec"));
  }

  @Test
  void resolve_relativeOverride_isRefused() {
    assertThatThrownBy(() -> TeecHome.resolve(Map.of("TEEC_HOME", "teec"), "/home/u"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TEEC_HOME must be an absolute path, got 'teec'");
  }

  @Test
  void resolve_noHomeAtAll_isRefused() {
    assertThatThrownBy(() -> TeecHome.resolve(Map.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neither TEEC_HOME nor the user's home directory is set");
  }
}
