package dev.teec.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PemTest {
  @Test
  void encode_longValue_wrapsAt64WithLfAndAFinalLf() {
    byte[] der = new byte[60]; // 80 base64 characters: one full line and one of 16
    Arrays.fill(der, (byte) 0xff);

    assertThat(Pem.encode("PUBLIC KEY", der))
        .isEqualTo(
            "-----BEGIN PUBLIC KEY-----\n"
                + "/".repeat(64)
                + "\n"
                + "/".repeat(16)
                + "\n-----END PUBLIC KEY-----\n");
  }

  @Test
  void certificate_isTheCertificateLabel() {
    assertThat(Pem.certificate(new byte[] {1, 2, 3}))
        .isEqualTo("-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n");
  }
}
