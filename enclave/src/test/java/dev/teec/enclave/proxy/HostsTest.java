package dev.teec.enclave.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostsTest {

  @ParameterizedTest
  @CsvSource({
    "example.com:443, example.com, 443, example.com",
    "EXAMPLE.com:8443, example.com, 8443, example.com:8443",
    "[::1]:443, ::1, 443, [::1]",
    "[::1]:8080, ::1, 8080, [::1]:8080",
    "10.0.0.1:1, 10.0.0.1, 1, 10.0.0.1:1",
    "my_host-1.internal:65535, my_host-1.internal, 65535, my_host-1.internal:65535",
  })
  void parseAuthority_valid_normalised(String input, String host, int port, String url) {
    Hosts.Authority a = Hosts.parseAuthority(input, -1);
    assertThat(a).isEqualTo(new Hosts.Authority(host, port));
    assertThat(a.toUrlAuthority(443)).isEqualTo(url);
  }

  @Test
  void parseAuthority_noPortWithDefault_usesDefault() {
    assertThat(Hosts.parseAuthority("example.com", 80))
        .isEqualTo(new Hosts.Authority("example.com", 80));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com",
        "example.com:0",
        "example.com:65536",
        "example.com:+1",
        "example.com:",
        "user@example.com:443",
        "[::1:443",
        "[::1]x:443",
        "exa mple.com:443",
        "a..b:443",
        ".a:443",
        "[zz]:1",
        ":443"
      })
  void parseAuthority_invalid_rejected(String input) {
    assertThatThrownBy(() -> Hosts.parseAuthority(input, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void normalise_overlongLabelOrName_rejected() {
    assertThatThrownBy(() -> Hosts.normalise("a".repeat(64) + ".com"))
        .hasMessageContaining("label");
    assertThatThrownBy(() -> Hosts.normalise(("a".repeat(60) + ".").repeat(5) + "com"))
        .hasMessageContaining("253");
  }

  @Test
  void quote_controlCharactersEscapedAndLongTextCut() {
    assertThat(Hosts.quote("a\r\nb")).isEqualTo("\"a\\u000d\\u000ab\"");
    assertThat(Hosts.quote("x".repeat(300))).hasSize(205).endsWith("...\"");
  }

  @Test
  void allowlist_exactAndWildcard_matchCaseInsensitivelyWildcardExcludesApex() {
    HostAllowlist list =
        HostAllowlist.of("repo.maven.apache.org", "*.crates.io", "127.0.0.1", "[::1]");
    assertThat(list.allows("REPO.maven.apache.org")).isTrue();
    assertThat(list.allows("index.crates.io")).isTrue();
    assertThat(list.allows("a.b.crates.io")).isTrue();
    assertThat(list.allows("crates.io")).isFalse();
    assertThat(list.allows("evilcrates.io")).isFalse();
    assertThat(list.allows("maven.apache.org")).isFalse();
    assertThat(list.allows("127.0.0.1")).isTrue();
    assertThat(list.allows("::1")).isTrue();
    assertThat(list.allows("not a host")).isFalse();
    assertThat(list.patterns())
        .containsExactly("repo.maven.apache.org", "*.crates.io", "127.0.0.1", "::1");
  }

  @Test
  void allowlist_anyAndNone() {
    assertThat(HostAllowlist.any().allows("example.com")).isTrue();
    assertThat(HostAllowlist.none().allows("example.com")).isFalse();
  }

  @Test
  void allowlist_invalidPattern_rejectedWithIndex() {
    assertThatThrownBy(() -> HostAllowlist.of("ok.example", "*.bad host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pattern 1");
    assertThatThrownBy(() -> HostAllowlist.of("*")).isInstanceOf(IllegalArgumentException.class);
  }
}
