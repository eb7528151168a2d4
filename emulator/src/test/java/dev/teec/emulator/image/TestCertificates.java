package dev.teec.emulator.image;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed CA certificates for the tests. */
final class TestCertificates {
  private TestCertificates() {}

  /** A self-signed CA certificate with subject CN={@code name}, DER. */
  static byte[] ca(String name) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair key = g.generateKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    return new JcaX509v3CertificateBuilder(
            subject,
            BigInteger.ONE,
            new Date(0),
            new Date(4102444800000L),
            subject,
            key.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
        .getEncoded();
  }

  /** {@code der} as a PEM block whose base64 lines are {@code width} characters. */
  static String pem(byte[] der, int width) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(width, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}
