package dev.teec.enclave.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ToolchainEnvironmentTest {

  private static final InetSocketAddress PROXY =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 3128);

  @TempDir Path dir;

  @Test
  void write_filesAndVariables_pointToTheCaTrustStoreAndSettings() throws Exception {
    ProxyCa ca = Fixtures.newCa();
    Map<String, String> env = ToolchainEnvironment.write(ca, PROXY, dir);

    Path pem = dir.resolve(ToolchainEnvironment.CA_PEM);
    Path p12 = dir.resolve(ToolchainEnvironment.CA_TRUSTSTORE);
    Path settings = dir.resolve(ToolchainEnvironment.MAVEN_SETTINGS);
    try (InputStream in = Files.newInputStream(pem)) {
      assertThat(CertificateFactory.getInstance("X.509").generateCertificate(in))
          .isEqualTo(ca.certificate());
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, ProxyCa.TRUSTSTORE_PASSWORD.toCharArray());
    }
    assertThat(store.getCertificate(ProxyCa.TRUSTSTORE_ALIAS)).isEqualTo(ca.certificate());
    assertThat(store.isCertificateEntry(ProxyCa.TRUSTSTORE_ALIAS)).isTrue();
    Document xml =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(settings.toFile());
    assertThat(xml.getElementsByTagName("proxy").getLength()).isEqualTo(2);
    assertThat(xml.getElementsByTagName("port").item(0).getTextContent()).isEqualTo("3128");
    assertThat(xml.getElementsByTagName("host").item(0).getTextContent()).isEqualTo("127.0.0.1");

    assertThat(env)
        .containsEntry("https_proxy", "http://127.0.0.1:3128")
        .containsEntry("HTTPS_PROXY", "http://127.0.0.1:3128")
        .containsEntry("http_proxy", "http://127.0.0.1:3128")
        .containsEntry("HTTP_PROXY", "http://127.0.0.1:3128")
        .containsEntry("NO_PROXY", "localhost,127.0.0.1,::1")
        .containsEntry("SSL_CERT_FILE", pem.toString())
        .containsEntry("CURL_CA_BUNDLE", pem.toString())
        .containsEntry("GIT_SSL_CAINFO", pem.toString())
        .containsEntry("CARGO_HTTP_CAINFO", pem.toString())
        .containsEntry("CARGO_HTTP_PROXY", "http://127.0.0.1:3128")
        .containsEntry("NODE_EXTRA_CA_CERTS", pem.toString())
        .containsEntry("npm_config_cafile", pem.toString())
        .containsEntry("npm_config_https_proxy", "http://127.0.0.1:3128")
        .containsEntry("PIP_CERT", pem.toString())
        .containsEntry("REQUESTS_CA_BUNDLE", pem.toString())
        .containsEntry("MAVEN_ARGS", "--global-settings " + settings);
    assertThat(env.get("JAVA_TOOL_OPTIONS").split(" "))
        .containsExactly(
            "-Dhttp.proxyHost=127.0.0.1",
            "-Dhttp.proxyPort=3128",
            "-Dhttps.proxyHost=127.0.0.1",
            "-Dhttps.proxyPort=3128",
            "-Djavax.net.ssl.trustStore=" + p12,
            "-Djavax.net.ssl.trustStoreType=PKCS12",
            "-Djavax.net.ssl.trustStorePassword=" + ProxyCa.TRUSTSTORE_PASSWORD);
    assertThat(List.copyOf(env.keySet())).isSorted();
  }

  @Test
  void forProxy_ipv6Proxy_bracketedInUrlsOnly() throws Exception {
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 8080);
    Map<String, String> env =
        ToolchainEnvironment.forProxy(
            v6, dir.resolve("a.pem"), dir.resolve("a.p12"), dir.resolve("s.xml"));
    assertThat(env).containsEntry("https_proxy", "http://[0:0:0:0:0:0:0:1]:8080");
    assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-Dhttps.proxyHost=0:0:0:0:0:0:0:1 ");
  }

  @Test
  void forProxy_relativePath_rejectedNamingIt() {
    assertThatThrownBy(
            () ->
                ToolchainEnvironment.forProxy(
                    PROXY, Path.of("ca.pem"), dir.resolve("a.p12"), dir.resolve("s.xml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("caPemFile");
  }

  @Test
  void forProxy_pathWithSpace_rejectedBecauseJvmOptionsSplitOnSpaces() {
    assertThatThrownBy(
            () ->
                ToolchainEnvironment.forProxy(
                    PROXY, dir.resolve("a.pem"), dir.resolve("my store.p12"), dir.resolve("s.xml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("caTruststore");
  }

  @Test
  void forProxy_wildcardAddress_rejected() {
    assertThatThrownBy(
            () ->
                ToolchainEnvironment.forProxy(
                    new InetSocketAddress(8080),
                    dir.resolve("a.pem"),
                    dir.resolve("a.p12"),
                    dir.resolve("s.xml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wildcard");
  }
}
