package dev.teec.verifier.internal.chain;

import dev.teec.digest.Digests;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.internal.ecdsa.P384Ecdsa;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * Caches what is expensive and time-independent in chain validation: parsed certificates (with
 * their P-384 key, see {@link ParsedCertificate}) and positive issuer-to-subject signature checks.
 * Both are keyed by the exact DER bytes of the certificates involved, compared in full, so a cache
 * hit can only return what the same bytes produced before. Validity windows and every other rule
 * are never cached; they are judged at each verification. Failed signature checks are not cached,
 * so a cache can never turn a failure into a pass. Instances are thread-safe.
 */
public final class CertificateCache {
  private static final HexFormat HEX = HexFormat.of();

  private final BoundedCache<Bytes, ParsedCertificate> parsed;
  private final BoundedCache<Link, Boolean> verifiedLinks;

  /**
   * A signature check: {@code child}'s signature made with {@code issuer}'s key. Its equals and
   * hashCode are written out because a record's generated ones are linked through invokedynamic on
   * first use, which was a twentieth of a one-document {@code teec-verify} call.
   */
  private record Link(Bytes child, Bytes issuer) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Link other && child.equals(other.child) && issuer.equals(other.issuer);
    }

    @Override
    public int hashCode() {
      return 31 * child.hashCode() + issuer.hashCode();
    }
  }

  /** A cache holding at most {@code maxEntries} certificates and as many verified links. */
  public CertificateCache(int maxEntries) {
    this.parsed = new BoundedCache<>(maxEntries);
    this.verifiedLinks = new BoundedCache<>(maxEntries);
  }

  /**
   * Parses a DER certificate.
   *
   * @throws CertificateException if the bytes are not exactly one X.509 certificate in DER
   */
  public ParsedCertificate parse(Bytes der) throws CertificateException {
    ParsedCertificate cached = parsed.get(der);
    if (cached != null) {
      return cached;
    }
    byte[] encoded = der.toByteArray();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    ByteArrayInputStream in = new ByteArrayInputStream(encoded);
    X509Certificate cert = (X509Certificate) cf.generateCertificate(in);
    if (in.available() != 0) {
      throw new CertificateException(in.available() + " bytes follow the certificate");
    }
    if (!MessageDigest.isEqual(cert.getEncoded(), encoded)) {
      throw new CertificateException("certificate is not in DER form");
    }
    ParsedCertificate result = new ParsedCertificate(der, cert, Digests.sha256Hex(encoded));
    parsed.put(der, result);
    return result;
  }

  /**
   * True when {@code child}'s signature verifies with {@code issuer}'s P-384 key (false when the
   * issuer has none). The caller has already restricted the algorithm to ECDSA with SHA-384.
   */
  public boolean signatureVerifies(ParsedCertificate child, ParsedCertificate issuer) {
    Link link = new Link(child.der(), issuer.der());
    if (verifiedLinks.get(link) != null) {
      return true;
    }
    if (issuer.p384Key().isEmpty()) {
      return false;
    }
    X509Certificate cert = child.certificate();
    boolean ok;
    try {
      ok =
          P384Ecdsa.verifyDer(
              issuer.p384Key().get(), cert.getTBSCertificate(), cert.getSignature());
    } catch (CertificateException e) {
      return false;
    }
    if (ok) {
      verifiedLinks.put(link, Boolean.TRUE);
    }
    return ok;
  }

  /** Number of cached verified links; for tests and benchmarks. */
  public int verifiedLinkCount() {
    return verifiedLinks.size();
  }
}
