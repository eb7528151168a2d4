package dev.teec.builder.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.protocol.ErrorCode;
import dev.teec.enclave.protocol.RemoteErrorException;
import dev.teec.enclave.protocol.egress.EgressAllowlist;
import dev.teec.enclave.protocol.egress.EgressClient;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import dev.teec.formats.buildspec.Language;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostEgressTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  @TempDir Path tmp;

  @Test
  void allowlist_defaultsToTheLanguagesRegistries_plusExtraHosts() {
    assertThat(HostEgress.allowlist(Language.MAVEN, List.of()).hosts())
        .containsExactlyInAnyOrder("repo.maven.apache.org", "repo1.maven.org");
    assertThat(HostEgress.allowlist(Language.C, List.of()).hosts()).isEmpty();
    EgressAllowlist rust = HostEgress.allowlist(Language.RUST, List.of("Mirror.Example.ORG"));
    assertThat(rust.hosts()).contains("index.crates.io", "static.crates.io", "mirror.example.org");
    assertThat(rust.permits("mirror.example.org", 443)).isTrue();
    assertThat(rust.permits("mirror.example.org", 22)).isFalse();
    assertThat(HostEgress.describe(HostEgress.allowlist(Language.C, List.of()))).isEqualTo("none");
  }

  @Test
  void allowlist_urlInsteadOfHost_refusedWithTheReason() {
    assertThatThrownBy(() -> HostEgress.allowlist(Language.C, List.of("https://example.org/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no scheme, port or path");
  }

  @Test
  void start_refusesAHostOffTheList_andReportsIt() throws Exception {
    UnixSocketTransport transport = new UnixSocketTransport(tmp.resolve("egress.sock"));
    List<String> notes = new CopyOnWriteArrayList<>();
    try (Closeable forwarder =
        HostEgress.start(
            transport.listen(),
            HostEgress.allowlist(Language.C, List.of()),
            (host, port, connectTimeout, readTimeout) -> {
              throw new IOException("no upstream in this test");
            },
            notes::add)) {
      assertThatThrownBy(
              () -> new EgressClient(transport).connect("evil.example.org", 443, TIMEOUT, TIMEOUT))
          .isInstanceOfSatisfying(
              RemoteErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DENIED));
    }
    assertThat(notes).anyMatch(n -> n.startsWith("egress: refused evil.example.org:443 [denied]"));
  }
}
