package dev.teec.enclave.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which upstream servers the proxy trusts, from a PEM bundle such as Debian's {@code
 * /etc/ssl/certs/ca-certificates.crt}. The enclave images use it instead of the JDK's {@code
 * cacerts} keystore: a keystore written by keytool differs from build to build (random salts), the
 * text bundle does not, so the image and its PCRs stay reproducible (SPEC W7.3).
 */
public final class UpstreamTrust {
  private UpstreamTrust() {}

  /**
   * A TLS context whose trust anchors are exactly the certificates in {@code pemBundle}.
   *
   * @throws IOException if the file cannot be read, holds no certificate, or holds something that
   *     is not a PEM or DER X.509 certificate
   */
  public static SSLContext fromPemBundle(Path pemBundle) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager(pemBundle)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's TLS provider is required", e);
    }
  }

  /**
   * The trust manager behind {@link #fromPemBundle}: PKIX with the bundle's certificates as
   * anchors.
   */
  static X509TrustManager trustManager(Path pemBundle) throws IOException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pemBundle)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (CertificateException e) {
      throw new IOException(pemBundle + ": not a bundle of PEM certificates: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException(pemBundle + ": holds no certificate");
    }
    try {
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        anchors.setCertificateEntry("anchor-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(anchors);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the PKIX trust manager factory made no X509TrustManager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's PKCS12 and PKIX providers are required", e);
    }
  }
}
