package dev.teec.emulator.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtraCaCertsTest {
  @TempDir Path temp;

  @Test
  void read_bundleWithComments_everyCertificateWithFingerprintAndSubject() throws Exception {
    byte[] a = TestCertificates.ca("Egress CA");
    byte[] b = TestCertificates.ca("Other CA");
    Path file =
        Files.writeString(
            temp.resolve("bundle.pem"),
            "# the egress's CA\n"
                + TestCertificates.pem(a, 76)
                + "\nsome text\n"
                + TestCertificates.pem(b, 64));
    ExtraCaCerts certs = ExtraCaCerts.read(List.of(file));
    assertThat(certs.certificates())
        .extracting(ExtraCaCerts.Certificate::subject)
        .containsExactly("CN=Egress CA", "CN=Other CA");
    assertThat(certs.certificates().get(0).sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(a)));
    assertThat(certs.toJson().toString())
        .isEqualTo(
            "[{\"sha256\":\""
                + certs.certificates().get(0).sha256()
                + "\",\"subject\":\"CN=Egress CA\"},{\"sha256\":\""
                + certs.certificates().get(1).sha256()
                + "\",\"subject\":\"CN=Other CA\"}]");
  }

  @Test
  void pem_sameCertificatesWrittenDifferently_sameBytes_readableByTheJdk() throws Exception {
    byte[] a = TestCertificates.ca("Egress CA");
    Path wide = Files.writeString(temp.resolve("wide.pem"), TestCertificates.pem(a, 76));
    Path crlf =
        Files.writeString(
            temp.resolve("crlf.pem"),
            "  " + TestCertificates.pem(a, 64).replace("\n", "\r\n") + "# end\n");
    byte[] pem = ExtraCaCerts.read(List.of(wide)).pem();
    assertThat(ExtraCaCerts.read(List.of(crlf)).pem()).isEqualTo(pem);
    assertThat(new String(pem, StandardCharsets.US_ASCII)).isEqualTo(TestCertificates.pem(a, 64));
    assertThat(
            CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem)))
        .hasSize(1);
  }

  @Test
  void read_sameCertificateTwice_keptOnce() throws Exception {
    byte[] a = TestCertificates.ca("Egress CA");
    Path one = Files.writeString(temp.resolve("one.pem"), TestCertificates.pem(a, 64));
    Path two = Files.writeString(temp.resolve("two.pem"), TestCertificates.pem(a, 76));
    assertThat(ExtraCaCerts.read(List.of(one, two)).certificates()).hasSize(1);
  }

  @Test
  void read_privateKeyBlock_refusedNamingFileAndLine() throws Exception {
    Path file =
        Files.writeString(
            temp.resolve("key.pem"),
            TestCertificates.pem(TestCertificates.ca("A"), 64)
                + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ExtraCaCerts.read(List.of(file)))
        .hasMessageContaining(file + " line ")
        .hasMessageContaining("a PRIVATE KEY block; only CERTIFICATE blocks are read");
  }

  @Test
  void read_noCertificate_refused() throws Exception {
    Path file = Files.writeString(temp.resolve("empty.pem"), "# nothing here\n");
    assertThatThrownBy(() -> ExtraCaCerts.read(List.of(file)))
        .hasMessageContaining(file + ": holds no PEM certificate");
  }

  @Test
  void read_blockWithoutEnd_refused() throws Exception {
    String pem = TestCertificates.pem(TestCertificates.ca("A"), 64);
    Path file =
        Files.writeString(temp.resolve("cut.pem"), pem.substring(0, pem.indexOf("-----END")));
    assertThatThrownBy(() -> ExtraCaCerts.read(List.of(file)))
        .hasMessageContaining(
            "line 1: the CERTIFICATE block has no -----END CERTIFICATE----- line");
  }

  @Test
  void read_badBase64_or_notACertificate_or_trailingBytes_refused() throws Exception {
    Path bad =
        Files.writeString(
            temp.resolve("bad.pem"),
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> ExtraCaCerts.read(List.of(bad)))
        .hasMessageContaining("line 1: the certificate is not valid base64");
    Path junk =
        Files.writeString(
            temp.resolve("junk.pem"),
            "\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> ExtraCaCerts.read(List.of(junk)))
        .hasMessageContaining("line 2: not an X.509 certificate");
    byte[] der = TestCertificates.ca("A");
    byte[] longer = java.util.Arrays.copyOf(der, der.length + 1);
    Path trailing = Files.writeString(temp.resolve("t.pem"), TestCertificates.pem(longer, 64));
    assertThatThrownBy(() -> ExtraCaCerts.read(List.of(trailing)))
        .hasMessageContaining("not an X.509 certificate");
  }

  @Test
  void read_missingFile_refused() {
    Path missing = temp.resolve("missing.pem");
    assertThatThrownBy(() -> ExtraCaCerts.read(List.of(missing)))
        .hasMessageContaining("missing.pem");
  }
}
