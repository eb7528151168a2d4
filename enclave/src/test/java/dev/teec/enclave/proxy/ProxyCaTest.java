package dev.teec.enclave.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProxyCaTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final ProxyCa ca = ProxyCa.generate(new SecureRandom(), CLOCK);

  @Test
  void generate_root_isSelfSignedP256CaLimitedToLeavesWithShortValidity() throws Exception {
    X509Certificate root = ca.certificate();

    root.verify(root.getPublicKey());
    assertThat(((ECPublicKey) root.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    assertThat(root.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(root.getBasicConstraints()).isZero();
    assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(root.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
    assertThat(root.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(root.getNotAfter().toInstant()).isEqualTo(NOW.plus(ProxyCa.DEFAULT_VALIDITY));
    assertThat(root.getSubjectX500Principal().getName()).contains("teec build proxy CA", "O=teec");
  }

  @Test
  void generate_twice_differentKeysAndSubjects() {
    ProxyCa other = ProxyCa.generate(new SecureRandom(), CLOCK);
    assertThat(other.certificate().getPublicKey()).isNotEqualTo(ca.certificate().getPublicKey());
    assertThat(other.certificate().getSubjectX500Principal())
        .isNotEqualTo(ca.certificate().getSubjectX500Principal());
  }

  @Test
  void generate_nonPositiveValidity_rejected() {
    assertThatThrownBy(() -> ProxyCa.generate(new SecureRandom(), CLOCK, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validity");
  }

  @Test
  void issue_dnsName_serverLeafThatValidatesUnderTheRoot() throws Exception {
    List<X509Certificate> chain = ca.issue("Repo.Maven.Apache.org");
    X509Certificate leaf = chain.get(0);

    assertThat(chain).hasSize(2).endsWith(ca.certificate());
    assertThat(leaf.getSubjectAlternativeNames())
        .containsExactly(List.of(2, "repo.maven.apache.org"));
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(leaf.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    assertThat(leaf.getExtensionValue("2.5.29.35")).as("authorityKeyIdentifier").isNotNull();
    assertThat(leaf.getExtensionValue("2.5.29.14")).as("subjectKeyIdentifier").isNotNull();
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(NOW));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
  }

  @Test
  void issue_ipLiterals_iPAddressNames() throws Exception {
    assertThat(ca.issue("127.0.0.1").get(0).getSubjectAlternativeNames())
        .containsExactly(List.of(7, "127.0.0.1"));
    Collection<List<?>> v6 = ca.issue("[::1]").get(0).getSubjectAlternativeNames();
    assertThat(v6).hasSize(1);
    assertThat(v6.iterator().next().get(0)).isEqualTo(7);
    assertThat((String) v6.iterator().next().get(1)).isIn("0:0:0:0:0:0:0:1", "::1");
  }

  @Test
  void issue_sameHostAnyCase_issuedOnce() {
    assertThat(ca.issue("Example.ORG")).isSameAs(ca.issue("example.org"));
    assertThat(ca.serverContext("example.org")).isSameAs(ca.serverContext("EXAMPLE.org"));
  }

  @Test
  void issue_hostTooLongForCommonName_emptySubjectWithCriticalSubjectAltName() throws Exception {
    String host = "a".repeat(60) + ".example.org";
    X509Certificate leaf = ca.issue(host).get(0);
    assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
    assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.17");
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, host));
  }

  @Test
  void issue_invalidHost_rejectedNamingIt() {
    assertThatThrownBy(() -> ca.issue("bad host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad host");
    assertThatThrownBy(() -> ca.issue("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void certificatePem_parsesBackToTheRoot() throws Exception {
    String pem = ca.certificatePem();
    assertThat(pem)
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(pem.lines().mapToInt(String::length).max().orElseThrow()).isLessThanOrEqualTo(64);
    assertThat(
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo(ca.certificate());
  }

  @Test
  void writeTruststore_holdsOnlyTheRootAsTrustedEntry(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("sub/ca.p12");
    ca.writeTruststore(file);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(file)) {
      store.load(in, ProxyCa.TRUSTSTORE_PASSWORD.toCharArray());
    }
    assertThat(java.util.Collections.list(store.aliases()))
        .containsExactly(ProxyCa.TRUSTSTORE_ALIAS);
    assertThat(store.isCertificateEntry(ProxyCa.TRUSTSTORE_ALIAS)).isTrue();
    assertThat(store.getCertificate(ProxyCa.TRUSTSTORE_ALIAS)).isEqualTo(ca.certificate());
    assertThat(java.nio.file.Files.list(dir.resolve("sub")))
        .as("no temporary file left")
        .hasSize(1);
  }

  @Test
  void writeTruststore_hasNoMacNorEncryption_anyPasswordOpensIt(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("ca.p12");
    ca.writeTruststore(file);
    byte[] bytes = java.nio.file.Files.readAllBytes(file);

    org.bouncycastle.pkcs.PKCS12PfxPdu pfx = new org.bouncycastle.pkcs.PKCS12PfxPdu(bytes);
    assertThat(pfx.hasMac()).isFalse();
    assertThat(pfx.getContentInfos())
        .extracting(c -> c.getContentType())
        .containsExactly(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.data);
    for (char[] password : new char[][] {null, new char[0], "another".toCharArray()}) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(bytes), password);
      assertThat(store.getCertificate(ProxyCa.TRUSTSTORE_ALIAS)).isEqualTo(ca.certificate());
    }
  }

  @Test
  void writeTruststore_trustManagerFromIt_acceptsALeafAndRejectsAnotherCasLeaf(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    // PKIX checks the validity window against the real clock, so this CA is valid now.
    ProxyCa current = ProxyCa.generate(new SecureRandom(), Clock.systemUTC());
    java.nio.file.Path file = dir.resolve("ca.p12");
    current.writeTruststore(file);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(file)) {
      store.load(in, ProxyCa.TRUSTSTORE_PASSWORD.toCharArray());
    }
    javax.net.ssl.TrustManagerFactory factory =
        javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    factory.init(store);
    javax.net.ssl.X509TrustManager trust =
        (javax.net.ssl.X509TrustManager) factory.getTrustManagers()[0];

    trust.checkServerTrusted(
        current.issue("repo.example").toArray(X509Certificate[]::new), "ECDHE_ECDSA");
    X509Certificate[] foreign =
        ProxyCa.generate(new SecureRandom(), Clock.systemUTC())
            .issue("repo.example")
            .toArray(X509Certificate[]::new);
    assertThatThrownBy(() -> trust.checkServerTrusted(foreign, "ECDHE_ECDSA"))
        .isInstanceOf(java.security.cert.CertificateException.class);
  }
}
