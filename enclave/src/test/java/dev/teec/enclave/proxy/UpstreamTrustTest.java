package dev.teec.enclave.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's upstream trust from a PEM bundle (the enclave images' ca-certificates.crt). */
class UpstreamTrustTest {
  @TempDir Path dir;

  @Test
  void bundle_everyCertificateIsAnAnchor_andOnlyThose() throws Exception {
    ProxyCa first = Fixtures.newCa();
    ProxyCa second = Fixtures.newCa();
    ProxyCa stranger = Fixtures.newCa();
    Path bundle =
        Files.writeString(
            dir.resolve("ca-certificates.crt"),
            first.certificatePem() + "\n" + second.certificatePem());

    X509TrustManager tm = UpstreamTrust.trustManager(bundle);

    assertThat(tm.getAcceptedIssuers())
        .containsExactlyInAnyOrder(first.certificate(), second.certificate());
    X509Certificate[] trusted = {second.certificate()};
    tm.checkServerTrusted(trusted, "ECDHE_ECDSA");
    X509Certificate[] untrusted = {stranger.certificate()};
    assertThatThrownBy(() -> tm.checkServerTrusted(untrusted, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
    assertThat(UpstreamTrust.fromPemBundle(bundle).getProtocol()).isEqualTo("TLS");
  }

  @Test
  void emptyOrMalformedOrMissingBundle_isRefusedNamingTheFile() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.crt"), "");
    assertThatThrownBy(() -> UpstreamTrust.fromPemBundle(empty))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("empty.crt: holds no certificate");
    Path garbage =
        Files.writeString(
            dir.resolve("garbage.crt"),
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> UpstreamTrust.fromPemBundle(garbage))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("garbage.crt: not a bundle of PEM certificates");
    assertThatThrownBy(() -> UpstreamTrust.fromPemBundle(dir.resolve("absent.crt")))
        .isInstanceOf(IOException.class);
  }
}
