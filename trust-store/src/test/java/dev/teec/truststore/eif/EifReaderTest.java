package dev.teec.truststore.eif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.verifier.Bytes;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.zip.CRC32;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EIF measurement against values computed here independently (SPEC.md R5): PCR = SHA-384(48 zero
 * bytes || SHA-384(measured sections)), and every kind of corruption the reader must reject.
 */
class EifReaderTest {
  private static final byte[] KERNEL =
      "kernel-bytes: pretend bzImage".getBytes(StandardCharsets.US_ASCII);
  private static final String CMDLINE = "reboot=k panic=30 pci=off nomodules console=ttyS0";
  private static final byte[] BOOT_RAMDISK = repeat((byte) 0x11, 70_000);
  private static final byte[] APP_RAMDISK = repeat((byte) 0x22, 5_000);
  private static final byte[] METADATA =
      "{\"ImageName\":\"test\"}".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;
  private Path kernel;
  private Path boot;
  private Path app;

  @BeforeEach
  void inputs() throws Exception {
    kernel = Files.write(dir.resolve("bzImage"), KERNEL);
    boot = Files.write(dir.resolve("init.cpio"), BOOT_RAMDISK);
    app = Files.write(dir.resolve("app.cpio"), APP_RAMDISK);
  }

  @Test
  void measure_writtenEif_matchesIndependentlyComputedPcrs() throws Exception {
    Path eif = write(EifWriter.builder().metadata(METADATA));

    EifMeasurement m = EifReader.measure(eif);

    byte[] cmdline = CMDLINE.getBytes(StandardCharsets.US_ASCII);
    assertThat(m.pcr0()).isEqualTo(pcr(concat(KERNEL, cmdline, BOOT_RAMDISK, APP_RAMDISK)));
    assertThat(m.pcr1()).isEqualTo(pcr(concat(KERNEL, cmdline, BOOT_RAMDISK)));
    assertThat(m.pcr2()).isEqualTo(pcr(APP_RAMDISK));
    assertThat(m.pcr8()).isEmpty();
    assertThat(m.pcrs()).containsOnlyKeys(0, 1, 2);
    assertThat(m.version()).isEqualTo(4);
    assertThat(m.arm64()).isFalse();
    assertThat(m.defaultMemory()).isEqualTo(1L << 30);
    assertThat(m.defaultCpus()).isEqualTo(2);
    assertThat(m.sections())
        .extracting(EifSection::type)
        .containsExactly(
            EifSectionType.KERNEL,
            EifSectionType.CMDLINE,
            EifSectionType.METADATA,
            EifSectionType.RAMDISK,
            EifSectionType.RAMDISK);
  }

  @Test
  void measure_metadataIsNotMeasured() throws Exception {
    EifMeasurement with = EifReader.measure(write(EifWriter.builder().metadata(METADATA)));
    EifMeasurement without = EifReader.measure(write(EifWriter.builder()));
    assertThat(with.pcrs()).isEqualTo(without.pcrs());
  }

  @Test
  void measure_singleRamdisk_pcr2IsTheEmptyMeasurement() throws Exception {
    Path eif = dir.resolve("one.eif");
    EifWriter.builder().kernel(kernel).cmdline(CMDLINE).addRamdisk(boot).build().write(eif);
    EifMeasurement m = EifReader.measure(eif);
    assertThat(m.pcr2()).isEqualTo(pcr(new byte[0]));
    assertThat(m.pcr0()).isEqualTo(m.pcr1());
  }

  @Test
  void writer_headerLayoutAndCrc_areAsSpecified() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder().metadata(METADATA)));
    ByteBuffer b = ByteBuffer.wrap(file);
    assertThat(Arrays.copyOf(file, 4)).isEqualTo(".eif".getBytes(StandardCharsets.US_ASCII));
    assertThat(b.getShort(4)).isEqualTo((short) 4);
    assertThat(b.getShort(26)).isEqualTo((short) 5);
    assertThat(b.getLong(28)).isEqualTo(548); // the kernel's section header follows the header
    assertThat(b.getLong(28 + 32 * 8)).isEqualTo(KERNEL.length);
    assertThat(b.getShort(548)).isEqualTo((short) 1);
    assertThat(b.getLong(550 + 2)).isEqualTo(KERNEL.length);
    CRC32 crc = new CRC32();
    crc.update(file, 0, 544);
    crc.update(file, 548, file.length - 548);
    assertThat(Integer.toUnsignedLong(b.getInt(544))).isEqualTo(crc.getValue());
  }

  @Test
  void measure_signedEif_pcr8IsTheCertificateDerMeasurement() throws Exception {
    X509Certificate cert = selfSigned();
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    Path eif =
        write(
            EifWriter.builder()
                .signatureSection(EifWriter.signatureSection(pem, new byte[] {1, 2, 3})));

    EifMeasurement m = EifReader.measure(eif);

    assertThat(m.pcr8()).contains(pcr(cert.getEncoded()));
    // Signing does not change what the image measures.
    assertThat(m.pcr0()).isEqualTo(EifReader.measure(write(EifWriter.builder())).pcr0());
    assertThat(m.signature().orElseThrow().valid()).isFalse();
    assertThat(m.signature().orElseThrow().detail()).startsWith("the signature cannot be verified");
  }

  @Test
  void measure_eifSignedByTheWriter_hasAValidSignatureOverPcr0() throws Exception {
    KeyPair kp = keyPair();
    X509Certificate cert = selfSigned(kp);
    EifMeasurement m =
        EifReader.measure(
            write(EifWriter.builder().metadata(METADATA).sign(cert, kp.getPrivate())));
    assertThat(m.pcr8()).contains(pcr(cert.getEncoded()));
    assertThat(m.signature().orElseThrow().valid()).as(m.signature().toString()).isTrue();
    assertThat(m.signature().orElseThrow().signer()).isEqualTo("CN=eif signer");
    assertThat(m.sections().get(m.sections().size() - 1).type())
        .isEqualTo(EifSectionType.SIGNATURE);
    assertThat(m.pcr0()).isEqualTo(EifReader.measure(write(EifWriter.builder())).pcr0());
  }

  @Test
  void measure_signatureByAnotherKey_isReportedInvalid() throws Exception {
    X509Certificate cert = selfSigned(keyPair());
    EifMeasurement m =
        EifReader.measure(write(EifWriter.builder().sign(cert, keyPair().getPrivate())));
    assertThat(m.signature().orElseThrow().valid()).isFalse();
    assertThat(m.signature().orElseThrow().detail())
        .contains("does not verify with the signing certificate's key");
  }

  @Test
  void signatureOverAnotherPcr0_isReportedInvalid() throws Exception {
    KeyPair kp = keyPair();
    X509Certificate cert = selfSigned(kp);
    // A signature section taken from another image: valid COSE, but over that image's PCR0.
    byte[] foreign = EifSignatures.section(cert, kp.getPrivate(), pcr(new byte[] {42}));
    EifMeasurement m = EifReader.measure(write(EifWriter.builder().signatureSection(foreign)));
    assertThat(m.signature().orElseThrow().valid()).isFalse();
    assertThat(m.signature().orElseThrow().detail()).contains("is not this file's PCR0");
  }

  @Test
  void unsignedEif_hasNoSignatureCheck() throws Exception {
    assertThat(EifReader.measure(write(EifWriter.builder())).signature()).isEmpty();
  }

  @Test
  void measure_signatureSectionWithCborByteStrings_isAccepted() throws Exception {
    X509Certificate cert = selfSigned();
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    byte[] pemBytes = pem.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream cbor = new ByteArrayOutputStream();
    cbor.write(0x81); // array(1)
    cbor.write(0xa1); // map(1)
    cbor.write(0x73); // text(19)
    cbor.write("signing_certificate".getBytes(StandardCharsets.US_ASCII));
    cbor.write(0x59); // bytes, 2-byte length
    cbor.write(pemBytes.length >> 8);
    cbor.write(pemBytes.length & 0xff);
    cbor.write(pemBytes);
    EifMeasurement m =
        EifReader.measure(write(EifWriter.builder().signatureSection(cbor.toByteArray())));
    assertThat(m.pcr8()).contains(pcr(cert.getEncoded()));
  }

  @Test
  void badMagic_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    file[0] = 'X';
    assertRejected(file, "bad magic", 0);
  }

  @Test
  void unsupportedVersion_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    file[5] = 9;
    assertRejected(file, "unsupported EIF version 9", 4);
  }

  @Test
  void truncatedSection_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    assertRejected(
        Arrays.copyOf(file, file.length - 100), "truncated section: section 3 (ramdisk)", -1);
  }

  @Test
  void truncatedHeader_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    assertRejected(Arrays.copyOf(file, 300), "truncated header", 0);
  }

  @Test
  void truncatedSectionHeader_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    byte[] longer = Arrays.copyOf(file, file.length + 5);
    assertRejected(longer, "bad section table: data after the 4 sections", -1);
  }

  @Test
  void crcMismatch_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    file[file.length - 1] ^= 1; // last byte of the application ramdisk
    assertRejected(file, "CRC mismatch", 544);
  }

  @Test
  void badSectionTableOffset_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    ByteBuffer.wrap(file).putLong(28 + 8, 12345);
    assertRejected(file, "bad section table: entry 1 says offset 12345", 36);
  }

  @Test
  void nonZeroUnusedTableEntry_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    ByteBuffer.wrap(file).putLong(28 + 8 * 31, 1);
    assertRejected(file, "bad section table: entry 31", -1);
  }

  @Test
  void sectionCountZero_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    ByteBuffer.wrap(file).putShort(26, (short) 0);
    assertRejected(file, "bad section table: 0 sections", 26);
  }

  @Test
  void invalidSectionType_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    ByteBuffer.wrap(file).putShort(548, (short) 0);
    assertRejected(file, "section 0 has invalid type 0", 548);
  }

  @Test
  void missingKernel_isRejected() throws Exception {
    byte[] file = Files.readAllBytes(write(EifWriter.builder()));
    ByteBuffer.wrap(file).putShort(548, (short) EifSectionType.RAMDISK.code());
    fixCrc(file);
    assertRejected(file, "0 kernel section(s), expected exactly 1", -1);
  }

  @Test
  void writer_refusesAnIncompleteImage() {
    assertThatThrownBy(() -> EifWriter.builder().kernel(kernel).cmdline("x").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one ramdisk");
  }

  private Path write(EifWriter.Builder builder) throws Exception {
    Path eif = Files.createTempFile(dir, "image", ".eif");
    builder.kernel(kernel).cmdline(CMDLINE).addRamdisk(boot).addRamdisk(app).build().write(eif);
    return eif;
  }

  private void assertRejected(byte[] file, String message, long offset) throws Exception {
    Path bad = Files.write(Files.createTempFile(dir, "bad", ".eif"), file);
    assertThatThrownBy(() -> EifReader.measure(bad))
        .isInstanceOf(EifFormatException.class)
        .hasMessageContaining(message)
        .satisfies(
            e -> {
              if (offset >= 0) {
                assertThat(((EifFormatException) e).offset()).isEqualTo(offset);
              }
            });
  }

  private static void fixCrc(byte[] file) {
    CRC32 crc = new CRC32();
    crc.update(file, 0, 544);
    crc.update(file, 548, file.length - 548);
    ByteBuffer.wrap(file).putInt(544, (int) crc.getValue());
  }

  static Bytes pcr(byte[] measured) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-384");
    byte[] inner = sha.digest(measured);
    sha.update(new byte[48]);
    return Bytes.of(sha.digest(inner));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] repeat(byte b, int n) {
    byte[] data = new byte[n];
    Arrays.fill(data, b);
    for (int i = 0; i < n; i += 97) {
      data[i] = (byte) i;
    }
    return data;
  }

  static X509Certificate selfSigned() throws Exception {
    return selfSigned(keyPair());
  }

  static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(384);
    return g.generateKeyPair();
  }

  static X509Certificate selfSigned(KeyPair kp) throws Exception {
    X500Name name = new X500Name("CN=eif signer");
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.ONE,
            new Date(1_700_000_000_000L),
            new Date(1_900_000_000_000L),
            name,
            kp.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(kp.getPrivate())));
  }
}
