package dev.teec.verifier.internal.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.verifier.Bytes;
import dev.teec.verifier.TrustAnchors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cache is keyed by the exact DER bytes: equal bytes share one entry, and with it one prepared
 * P-384 key (whose precomputation Bouncy Castle reuses); any other bytes are a miss.
 */
class CertificateCacheTest {
  private static byte[] rootDer;

  @BeforeAll
  static void load() throws Exception {
    rootDer = TrustAnchors.awsNitroEnclavesRootG1().certificates().get(0).getEncoded();
  }

  @Test
  void parse_equalBytesInAnotherObject_returnsTheSameEntryAndKey() throws Exception {
    CertificateCache cache = new CertificateCache(8);
    ParsedCertificate first = cache.parse(Bytes.of(rootDer));
    ParsedCertificate second = cache.parse(Bytes.of(rootDer.clone()));
    assertThat(second).isSameAs(first);
    assertThat(second.p384Key().orElseThrow()).isSameAs(first.p384Key().orElseThrow());
  }

  @Test
  void parse_cacheOff_preparesTheKeyAfresh() throws Exception {
    CertificateCache cache = new CertificateCache(0);
    ParsedCertificate first = cache.parse(Bytes.of(rootDer));
    ParsedCertificate second = cache.parse(Bytes.of(rootDer));
    assertThat(second).isNotSameAs(first);
    assertThat(second.p384Key().orElseThrow()).isNotSameAs(first.p384Key().orElseThrow());
  }

  @Test
  void signatureVerifies_onlyPositiveResultsAreCachedAndOnlyForTheSameBytes() throws Exception {
    CertificateCache cache = new CertificateCache(8);
    ParsedCertificate root = cache.parse(Bytes.of(rootDer));
    assertThat(cache.signatureVerifies(root, root)).isTrue();
    assertThat(cache.verifiedLinkCount()).isEqualTo(1);

    // The last byte belongs to the signature: the certificate still parses, but is another entry
    // whose signature does not verify, now or on a second try.
    byte[] tampered = rootDer.clone();
    tampered[tampered.length - 1] ^= 1;
    ParsedCertificate forged = cache.parse(Bytes.of(tampered));
    assertThat(forged).isNotSameAs(root);
    assertThat(cache.signatureVerifies(forged, root)).isFalse();
    assertThat(cache.signatureVerifies(forged, root)).isFalse();
    assertThat(cache.verifiedLinkCount()).isEqualTo(1);
  }
}
