package dev.teec.verifier.internal.chain;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * Caches what is expensive and time-independent in chain validation: parsed certificates and
 * positive issuer-to-subject signature checks, keyed by SHA-256 of the DER. Validity windows are
 * never cached; they are judged at each verification's own instant. Failed signature checks are not
 * cached, so a cache can never turn a failure into a pass. Instances are thread-safe.
 */
public final class CertificateCache {
  private static final HexFormat HEX = HexFormat.of();

  private final BoundedCache<String, X509Certificate> parsed;
  private final BoundedCache<String, Boolean> verifiedLinks;

  /** A cache holding at most {@code maxEntries} certificates and as many verified links. */
  public CertificateCache(int maxEntries) {
    this.parsed = new BoundedCache<>(maxEntries);
    this.verifiedLinks = new BoundedCache<>(maxEntries);
  }

  /** Lowercase hex SHA-256 of {@code data}. */
  public static String sha256Hex(byte[] data) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * Parses a DER certificate.
   *
   * @throws CertificateException if the bytes are not exactly one X.509 certificate
   */
  public X509Certificate parse(byte[] der, String sha256) throws CertificateException {
    X509Certificate cert = parsed.get(sha256);
    if (cert != null) {
      return cert;
    }
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    ByteArrayInputStream in = new ByteArrayInputStream(der);
    cert = (X509Certificate) cf.generateCertificate(in);
    if (in.available() != 0) {
      throw new CertificateException(in.available() + " bytes follow the certificate");
    }
    if (!MessageDigest.isEqual(cert.getEncoded(), der)) {
      throw new CertificateException("certificate is not in DER form");
    }
    parsed.put(sha256, cert);
    return cert;
  }

  /**
   * True when {@code child}'s signature verifies with {@code issuerKey}, using the algorithm the
   * child names (the caller has already restricted that to ECDSA with SHA-384).
   */
  public boolean signatureVerifies(
      X509Certificate child, String childSha256, PublicKey issuerKey, String issuerSha256) {
    String key = childSha256 + issuerSha256;
    if (verifiedLinks.get(key) != null) {
      return true;
    }
    try {
      Signature sig = Signature.getInstance("SHA384withECDSA");
      sig.initVerify(issuerKey);
      sig.update(child.getTBSCertificate());
      boolean ok = sig.verify(child.getSignature());
      if (ok) {
        verifiedLinks.put(key, Boolean.TRUE);
      }
      return ok;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Number of cached verified links; for tests and benchmarks. */
  public int verifiedLinkCount() {
    return verifiedLinks.size();
  }
}
