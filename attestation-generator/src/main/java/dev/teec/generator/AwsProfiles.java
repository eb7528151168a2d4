package dev.teec.generator;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * The default certificate profiles, copied from real AWS Nitro chains (late 2024): the same name
 * attribute order per level, the same extensions in the same order with the same criticality, and
 * similar lifetimes. Only the names' values differ: they say "teec test" instead of naming Amazon.
 */
final class AwsProfiles {
  private static final String COUNTRY = "US";
  private static final String ORGANIZATION = "teec test";
  private static final String UNIT = "simulated nitro";
  private static final String STATE = "Test State";
  private static final String LOCALITY = "Test City";
  private static final String REGION = "test-region-1";
  private static final String DOMAIN = REGION + ".teec-test";

  /** AWS's CA key usage: digitalSignature, keyCertSign, cRLSign (root, regional, zonal). */
  private static final int CA_USAGE =
      KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign;

  private AwsProfiles() {}

  /** The module id AWS would give the enclave: instance id, "-enc", 16 hex digits of enclave id. */
  static String moduleId(String seed) {
    return instanceId(seed) + "-enc" + enclaveIdHex(seed);
  }

  static CertificateProfile profile(
      CertRole role, String seed, Instant base, Map<CertRole, DeterministicKey> keys) {
    Instant t = base.truncatedTo(ChronoUnit.SECONDS);
    CertificateProfile.Builder p = CertificateProfile.builder().subject(subject(role, seed));
    switch (role) {
      case ROOT -> {
        Instant from = t.minus(Duration.ofDays(400));
        p.serial(serial(seed, role, 16))
            .notBefore(from)
            .notAfter(from.atOffset(ZoneOffset.UTC).plusYears(30).plusHours(1).toInstant())
            .extension(Extension.basicConstraints, true, new BasicConstraints(true))
            .extension(Extension.subjectKeyIdentifier, false, ski(keys, role))
            .extension(Extension.keyUsage, true, new KeyUsage(CA_USAGE));
      }
      case REGIONAL, ZONAL -> {
        boolean regional = role == CertRole.REGIONAL;
        Instant from = t.minus(regional ? Duration.ofHours(32) : Duration.ofHours(17));
        p.serial(serial(seed, role, 16))
            .notBefore(from)
            .notAfter(
                regional
                    ? from.plus(Duration.ofDays(20)).plusSeconds(3600)
                    : from.plus(Duration.ofDays(6)))
            .extension(Extension.basicConstraints, true, new BasicConstraints(regional ? 2 : 1))
            .extension(Extension.authorityKeyIdentifier, false, aki(keys, role))
            .extension(Extension.subjectKeyIdentifier, false, ski(keys, role))
            .extension(Extension.keyUsage, true, new KeyUsage(CA_USAGE))
            .extension(Extension.cRLDistributionPoints, false, crl(seed, role));
      }
      case INSTANCE -> {
        Instant from = t.minus(Duration.ofHours(6));
        p.serial(serial(seed, role, 20))
            .notBefore(from)
            .notAfter(from.plus(Duration.ofDays(1)))
            .extension(Extension.basicConstraints, true, new BasicConstraints(0))
            .extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign))
            .extension(Extension.subjectKeyIdentifier, false, ski(keys, role))
            .extension(Extension.authorityKeyIdentifier, false, aki(keys, role));
      }
      case LEAF -> {
        // AWS leaves have no key identifiers and a non-critical keyUsage.
        Instant from = t.minus(Duration.ofMinutes(100));
        p.serial(leafSerial(seed, from))
            .notBefore(from)
            .notAfter(from.plus(Duration.ofHours(3)).plusSeconds(3))
            .extension(Extension.basicConstraints, true, new BasicConstraints(false))
            .extension(
                Extension.keyUsage,
                false,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
      }
    }
    return p.build();
  }

  private static X500Name subject(CertRole role, String seed) {
    X500NameBuilder n = new X500NameBuilder(BCStyle.INSTANCE);
    switch (role) {
      case ROOT ->
          n.addRDN(BCStyle.C, COUNTRY)
              .addRDN(BCStyle.O, ORGANIZATION)
              .addRDN(BCStyle.OU, UNIT)
              .addRDN(BCStyle.CN, "teec-test-root");
      case REGIONAL ->
          n.addRDN(BCStyle.C, COUNTRY)
              .addRDN(BCStyle.O, ORGANIZATION)
              .addRDN(BCStyle.OU, UNIT)
              .addRDN(BCStyle.CN, Derive.hex(8, "name", seed, role.label()) + "." + DOMAIN);
      case ZONAL ->
          n.addRDN(BCStyle.CN, Derive.hex(8, "name", seed, role.label()) + ".zonal." + DOMAIN)
              .addRDN(BCStyle.OU, UNIT)
              .addRDN(BCStyle.O, ORGANIZATION)
              .addRDN(BCStyle.C, COUNTRY)
              .addRDN(BCStyle.ST, STATE)
              .addRDN(BCStyle.L, LOCALITY);
      case INSTANCE -> located(n).addRDN(BCStyle.CN, instanceId(seed) + "." + DOMAIN);
      case LEAF -> located(n).addRDN(BCStyle.CN, moduleId(seed) + "." + DOMAIN);
    }
    return n.build();
  }

  private static X500NameBuilder located(X500NameBuilder n) {
    return n.addRDN(BCStyle.C, COUNTRY)
        .addRDN(BCStyle.ST, STATE)
        .addRDN(BCStyle.L, LOCALITY)
        .addRDN(BCStyle.O, ORGANIZATION)
        .addRDN(BCStyle.OU, UNIT);
  }

  private static String instanceId(String seed) {
    return "i-" + Derive.hex(9, "instance-id", seed).substring(0, 17);
  }

  private static String enclaveIdHex(String seed) {
    return Derive.hex(8, "enclave-id", seed);
  }

  private static BigInteger serial(String seed, CertRole role, int length) {
    byte[] b = Derive.bytes(length, "serial", seed, role.label());
    b[0] &= 0x7f; // keeps the DER INTEGER within the 20 octets RFC 5280 allows
    return new BigInteger(1, b);
  }

  /** AWS leaf serials are the enclave id, four zero bytes, then notBefore in Unix seconds. */
  private static BigInteger leafSerial(String seed, Instant notBefore) {
    ByteBuffer b = ByteBuffer.allocate(16);
    b.put(Derive.bytes(8, "enclave-id", seed)).putInt(0).putInt((int) notBefore.getEpochSecond());
    return new BigInteger(1, b.array());
  }

  private static SubjectKeyIdentifier ski(Map<CertRole, DeterministicKey> keys, CertRole role) {
    return new SubjectKeyIdentifier(keys.get(role).keyIdentifier());
  }

  private static AuthorityKeyIdentifier aki(Map<CertRole, DeterministicKey> keys, CertRole role) {
    return new AuthorityKeyIdentifier(keys.get(role.issuer()).keyIdentifier());
  }

  private static CRLDistPoint crl(String seed, CertRole role) {
    String uri =
        "http://crl.teec-test.invalid/"
            + role.label()
            + "/"
            + Derive.hex(16, "crl", seed, role.label())
            + ".crl";
    DistributionPointName name =
        new DistributionPointName(
            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
    return new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(name, null, null)});
  }
}
