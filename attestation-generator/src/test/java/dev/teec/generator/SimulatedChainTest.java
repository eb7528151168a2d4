package dev.teec.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

/**
 * The simulated chain has the shape of a real AWS Nitro chain (checked against late-2024 AWS
 * chains).
 */
class SimulatedChainTest {
  private static final Instant BASE = Instant.parse("2025-06-01T12:00:00.417Z");
  private static final SimulatedChain CHAIN = SimulatedChain.generate("chain-test", BASE);

  @Test
  void defaultChain_validatesWithJdkPkixAtBase() throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> path = new ArrayList<>();
    for (CertRole role :
        List.of(CertRole.LEAF, CertRole.INSTANCE, CertRole.ZONAL, CertRole.REGIONAL)) {
      path.add(jdk(role));
    }
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(jdk(CertRole.ROOT), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(BASE));

    CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(path), params);
  }

  @Test
  void defaultChain_hasAwsExtensionsInAwsOrderAndCriticality() throws Exception {
    assertThat(layout(CertRole.ROOT))
        .containsExactly("2.5.29.19 critical", "2.5.29.14", "2.5.29.15 critical");
    assertThat(layout(CertRole.REGIONAL))
        .containsExactly(
            "2.5.29.19 critical", "2.5.29.35", "2.5.29.14", "2.5.29.15 critical", "2.5.29.31");
    assertThat(layout(CertRole.ZONAL)).isEqualTo(layout(CertRole.REGIONAL));
    assertThat(layout(CertRole.INSTANCE))
        .containsExactly("2.5.29.19 critical", "2.5.29.15 critical", "2.5.29.14", "2.5.29.35");
    assertThat(layout(CertRole.LEAF)).containsExactly("2.5.29.19 critical", "2.5.29.15");
  }

  @Test
  void defaultChain_hasAwsBasicConstraintsAndKeyUsage() throws Exception {
    assertThat(jdk(CertRole.ROOT).getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(jdk(CertRole.REGIONAL).getBasicConstraints()).isEqualTo(2);
    assertThat(jdk(CertRole.ZONAL).getBasicConstraints()).isEqualTo(1);
    assertThat(jdk(CertRole.INSTANCE).getBasicConstraints()).isEqualTo(0);
    assertThat(jdk(CertRole.LEAF).getBasicConstraints()).isEqualTo(-1);
    // keyUsage bits: digitalSignature(0) nonRepudiation(1) ... keyCertSign(5) cRLSign(6)
    boolean[] ca = {true, false, false, false, false, true, true};
    assertThat(Arrays.copyOf(jdk(CertRole.ROOT).getKeyUsage(), 7)).containsExactly(ca);
    assertThat(Arrays.copyOf(jdk(CertRole.ZONAL).getKeyUsage(), 7)).containsExactly(ca);
    assertThat(Arrays.copyOf(jdk(CertRole.INSTANCE).getKeyUsage(), 7))
        .containsExactly(false, false, false, false, false, true, false);
    assertThat(Arrays.copyOf(jdk(CertRole.LEAF).getKeyUsage(), 7))
        .containsExactly(true, true, false, false, false, false, false);
  }

  @Test
  void defaultChain_hasAwsLifetimesAndIsValidAtBase() throws Exception {
    assertThat(lifetime(CertRole.ROOT))
        .isBetween(Duration.ofDays(30 * 365), Duration.ofDays(30 * 366));
    assertThat(lifetime(CertRole.REGIONAL)).isEqualTo(Duration.ofDays(20).plusHours(1));
    assertThat(lifetime(CertRole.ZONAL)).isEqualTo(Duration.ofDays(6));
    assertThat(lifetime(CertRole.INSTANCE)).isEqualTo(Duration.ofDays(1));
    assertThat(lifetime(CertRole.LEAF)).isEqualTo(Duration.ofHours(3).plusSeconds(3));
    for (CertRole role : CertRole.values()) {
      jdk(role).checkValidity(Date.from(BASE));
    }
  }

  @Test
  void defaultChain_keyIdentifiersLinkCasAndLeafHasNone() throws Exception {
    for (CertRole role : List.of(CertRole.REGIONAL, CertRole.ZONAL, CertRole.INSTANCE)) {
      byte[] aki = AuthorityKeyIdentifier.fromExtensions(extensions(role)).getKeyIdentifierOctets();
      byte[] issuerSki =
          SubjectKeyIdentifier.fromExtensions(extensions(role.issuer())).getKeyIdentifier();
      assertThat(aki)
          .as(role.name())
          .isEqualTo(issuerSki)
          .isEqualTo(CHAIN.key(role.issuer()).keyIdentifier());
    }
    assertThat(extensions(CertRole.LEAF).getExtension(Extension.authorityKeyIdentifier)).isNull();
    assertThat(extensions(CertRole.LEAF).getExtension(Extension.subjectKeyIdentifier)).isNull();
  }

  @Test
  void defaultChain_namesSayTeecTestAndLeafCarriesModuleId() throws Exception {
    for (CertRole role : CertRole.values()) {
      assertThat(jdk(role).getSubjectX500Principal().getName())
          .contains("teec test")
          .doesNotContain("Amazon");
    }
    assertThat(jdk(CertRole.LEAF).getSubjectX500Principal().getName())
        .contains("CN=" + CHAIN.moduleId() + ".");
    assertThat(CHAIN.moduleId()).matches("i-[0-9a-f]{17}-enc[0-9a-f]{16}");
  }

  @Test
  void customize_replacesExtensionWhereItStands() throws Exception {
    SimulatedChain changed =
        SimulatedChain.builder("chain-test", BASE)
            .customize(
                CertRole.ZONAL,
                p -> p.extension(Extension.basicConstraints, true, new BasicConstraints(0)))
            .build();

    X509CertificateHolder zonal = new X509CertificateHolder(changed.certificate(CertRole.ZONAL));
    assertThat(zonal.getExtensions().getExtensionOIDs()[0]).isEqualTo(Extension.basicConstraints);
    assertThat(BasicConstraints.fromExtensions(zonal.getExtensions()).getPathLenConstraint())
        .isZero();
    assertThat(changed.certificate(CertRole.REGIONAL))
        .isEqualTo(CHAIN.certificate(CertRole.REGIONAL));
  }

  @Test
  void derivedKeys_dependOnlyOnSeedLabelAndType() {
    DeterministicKey a = DeterministicKey.derive("s", "leaf", KeyType.P384);

    assertThat(DeterministicKey.derive("s", "leaf", KeyType.P384).subjectPublicKeyInfo())
        .isEqualTo(a.subjectPublicKeyInfo());
    assertThat(DeterministicKey.derive("s", "root", KeyType.P384).subjectPublicKeyInfo())
        .isNotEqualTo(a.subjectPublicKeyInfo());
    assertThat(DeterministicKey.derive("t", "leaf", KeyType.P384).subjectPublicKeyInfo())
        .isNotEqualTo(a.subjectPublicKeyInfo());
    assertThat(a.signEs384(new byte[] {1, 2, 3}))
        .hasSize(96)
        .isEqualTo(a.signEs384(new byte[] {1, 2, 3}));
  }

  private static X509Certificate jdk(CertRole role) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(CHAIN.certificate(role)));
  }

  private static Extensions extensions(CertRole role) throws Exception {
    return new X509CertificateHolder(CHAIN.certificate(role)).getExtensions();
  }

  private static List<String> layout(CertRole role) throws Exception {
    Extensions ext = extensions(role);
    return Arrays.stream(ext.getExtensionOIDs())
        .map(oid -> oid.getId() + (ext.getExtension(oid).isCritical() ? " critical" : ""))
        .toList();
  }

  private static Duration lifetime(CertRole role) throws Exception {
    X509Certificate c = jdk(role);
    return Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
  }
}
