package dev.teec.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void bytes_isDefensivelyCopied() {
    byte[] raw = {1, 2, 3};
    Bytes b = Bytes.of(raw);
    raw[0] = 9;
    assertThat(b.hex()).isEqualTo("010203");
    b.toByteArray()[1] = 9;
    assertThat(b.hex()).isEqualTo("010203");
  }

  @Test
  void bytes_fromHex_acceptsPrefixAndRejectsOddOrNonHex() {
    assertThat(Bytes.fromHex("0xABcd").hex()).isEqualTo("abcd");
    assertThatThrownBy(() -> Bytes.fromHex("abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Bytes.fromHex("zz")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verificationTime_parse_acceptsTheThreeForms() {
    assertThat(VerificationTime.parse("now").mode()).isEqualTo(VerificationTime.Mode.NOW);
    assertThat(VerificationTime.parse("document").mode()).isEqualTo(VerificationTime.Mode.DOCUMENT);
    VerificationTime fixed = VerificationTime.parse("2024-05-01T12:00:00Z");
    assertThat(fixed.fixedInstant()).contains(Instant.parse("2024-05-01T12:00:00Z"));
    assertThatThrownBy(() -> VerificationTime.parse("yesterday"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void verificationOptions_negativeDurations_areRefused() {
    assertThatThrownBy(() -> VerificationOptions.builder().maxAge(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VerificationOptions.builder().maxFutureSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void trustAnchors_bundledAwsRoot_hasThePublishedFingerprint() throws Exception {
    TrustAnchors anchors = TrustAnchors.awsNitroEnclavesRootG1();
    assertThat(anchors.fingerprints()).containsExactly(TrustAnchors.AWS_NITRO_ROOT_G1_SHA256);
    byte[] der = anchors.certificates().get(0).getEncoded();
    assertThat(java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)))
        .isEqualTo("641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b");
    assertThat(anchors.containsDer(der)).isTrue();
    der[der.length - 1] ^= 1;
    assertThat(anchors.containsDer(der)).isFalse();
  }

  @Test
  void trustAnchors_bundledAwsRoot_equalsTheSharedCopy() throws Exception {
    SharedVectors.assumePresent();
    try (InputStream in =
        Files.newInputStream(SharedVectors.DIR.resolve("aws-nitro-root-g1.pem"))) {
      assertThat(TrustAnchors.readPem(in).get(0))
          .isEqualTo(TrustAnchors.awsNitroEnclavesRootG1().certificates().get(0));
    }
  }

  @Test
  void trustAnchors_empty_isRefused() {
    assertThatThrownBy(() -> TrustAnchors.of(java.util.List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
