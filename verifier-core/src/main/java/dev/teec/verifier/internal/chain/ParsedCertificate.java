package dev.teec.verifier.internal.chain;

import dev.teec.verifier.Bytes;
import dev.teec.verifier.internal.ecdsa.P384Key;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate with everything chain validation reads from it, derived from its DER once: names,
 * validity window, extensions, the SHA-256 fingerprint and, for a P-384 key, the key prepared for
 * {@link dev.teec.verifier.internal.ecdsa.P384Ecdsa}. {@link CertificateCache} keeps instances
 * under their exact DER bytes.
 *
 * <p>These are facts about the bytes, never verdicts: every rule is still judged on them at each
 * verification, the validity window at that verification's own instant. Immutable.
 */
public final class ParsedCertificate {
  private final Bytes der;
  private final X509Certificate certificate;
  private final String sha256;
  private final Optional<P384Key> p384Key;
  private final X500Principal subject;
  private final X500Principal issuer;
  private final String subjectName;
  private final String issuerName;
  private final Instant notBefore;
  private final Instant notAfter;
  private final String signatureAlgorithmOid;
  private final int basicConstraints;
  private final boolean[] keyUsage;
  private final List<String> criticalExtensions;

  ParsedCertificate(Bytes der, X509Certificate certificate, String sha256) {
    this.der = der;
    this.certificate = certificate;
    this.sha256 = sha256;
    this.p384Key = P384Key.of(certificate.getPublicKey());
    this.subject = certificate.getSubjectX500Principal();
    this.issuer = certificate.getIssuerX500Principal();
    this.subjectName = subject.getName();
    this.issuerName = issuer.getName();
    this.notBefore = certificate.getNotBefore().toInstant();
    this.notAfter = certificate.getNotAfter().toInstant();
    this.signatureAlgorithmOid = certificate.getSigAlgOID();
    this.basicConstraints = certificate.getBasicConstraints();
    this.keyUsage = certificate.getKeyUsage();
    Set<String> critical = certificate.getCriticalExtensionOIDs();
    // Sorted, so that a failure always names the same extension first.
    this.criticalExtensions = critical == null ? List.of() : List.copyOf(new TreeSet<>(critical));
  }

  /** The DER encoding, exactly as received. */
  public Bytes der() {
    return der;
  }

  /** Lowercase hex SHA-256 of the DER. */
  public String sha256() {
    return sha256;
  }

  /**
   * The public key when it is exactly NIST P-384 with a point on the curve; the same instance for
   * every verification, so that its precomputation is reused.
   */
  public Optional<P384Key> p384Key() {
    return p384Key;
  }

  X509Certificate certificate() {
    return certificate;
  }

  PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  X500Principal subject() {
    return subject;
  }

  X500Principal issuer() {
    return issuer;
  }

  /** The subject in RFC 2253 form. */
  String subjectName() {
    return subjectName;
  }

  /** The issuer in RFC 2253 form. */
  String issuerName() {
    return issuerName;
  }

  Instant notBefore() {
    return notBefore;
  }

  Instant notAfter() {
    return notAfter;
  }

  String signatureAlgorithmOid() {
    return signatureAlgorithmOid;
  }

  /** As {@link X509Certificate#getBasicConstraints()}: -1 for a non-CA, else the path length. */
  int basicConstraints() {
    return basicConstraints;
  }

  /** True when the keyUsage extension is present and sets bit {@code bit}. */
  boolean hasKeyUsage(int bit) {
    return keyUsage != null && keyUsage.length > bit && keyUsage[bit];
  }

  boolean hasKeyUsageExtension() {
    return keyUsage != null;
  }

  /** OIDs of the critical extensions, sorted; empty when there are none. */
  List<String> criticalExtensions() {
    return criticalExtensions;
  }
}
