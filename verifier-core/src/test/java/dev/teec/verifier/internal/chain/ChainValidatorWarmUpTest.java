package dev.teec.verifier.internal.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.verifier.TrustAnchors;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Warming up checks the anchors' self-signatures as validate would, and caches only successes. */
class ChainValidatorWarmUpTest {

  @Test
  void warmUp_awsRoot_cachesItsParsedCertificateAndSelfSignature() throws Exception {
    CertificateCache cache = new CertificateCache(8);
    TrustAnchors anchors = TrustAnchors.awsNitroEnclavesRootG1();

    new ChainValidator(cache, 8).warmUp(anchors);

    assertThat(cache.verifiedLinkCount()).isEqualTo(1);
  }

  @Test
  void warmUp_anchorWhoseSelfSignatureFails_cachesNoLink() throws Exception {
    byte[] der = TrustAnchors.awsNitroEnclavesRootG1().certificates().get(0).getEncoded();
    der[der.length - 1] ^= 1; // in the signature: still a certificate, no longer self-signed
    X509Certificate tampered =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    CertificateCache cache = new CertificateCache(8);

    new ChainValidator(cache, 8).warmUp(TrustAnchors.of(List.of(tampered)));

    assertThat(cache.verifiedLinkCount()).isZero();
  }
}
