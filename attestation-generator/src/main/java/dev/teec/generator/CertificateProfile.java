package dev.teec.generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;

/**
 * Everything that goes into one certificate except its public key and the key that signs it: names,
 * serial number, validity, extensions in order, and signature algorithm. {@link SimulatedChain}
 * starts from AWS-shaped profiles and lets callers change them through {@link #toBuilder()}.
 * Immutable.
 */
public final class CertificateProfile {
  private final X500Name subject;
  private final X500Name issuer;
  private final BigInteger serial;
  private final Instant notBefore;
  private final Instant notAfter;
  private final List<Extension> extensions;
  private final SignatureAlgorithm signatureAlgorithm;

  private CertificateProfile(Builder b) {
    this.subject = Objects.requireNonNull(b.subject, "subject");
    this.issuer = b.issuer;
    this.serial = Objects.requireNonNull(b.serial, "serial");
    this.notBefore = Objects.requireNonNull(b.notBefore, "notBefore");
    this.notAfter = Objects.requireNonNull(b.notAfter, "notAfter");
    this.extensions = List.copyOf(b.extensions);
    this.signatureAlgorithm = b.signatureAlgorithm;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this profile's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.subject = subject;
    b.issuer = issuer;
    b.serial = serial;
    b.notBefore = notBefore;
    b.notAfter = notAfter;
    b.extensions.addAll(extensions);
    b.signatureAlgorithm = signatureAlgorithm;
    return b;
  }

  public X500Name subject() {
    return subject;
  }

  /**
   * The issuer name to write, or null to use the issuing certificate's subject (the normal case).
   */
  public X500Name issuer() {
    return issuer;
  }

  public BigInteger serial() {
    return serial;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant notAfter() {
    return notAfter;
  }

  /** Extensions in the order they are encoded. */
  public List<Extension> extensions() {
    return extensions;
  }

  public SignatureAlgorithm signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** Builder for {@link CertificateProfile}; subject, serial and validity are required. */
  public static final class Builder {
    private X500Name subject;
    private X500Name issuer;
    private BigInteger serial;
    private Instant notBefore;
    private Instant notAfter;
    private final List<Extension> extensions = new ArrayList<>();
    private SignatureAlgorithm signatureAlgorithm = SignatureAlgorithm.ECDSA_SHA384;

    private Builder() {}

    public Builder subject(X500Name subject) {
      this.subject = Objects.requireNonNull(subject, "subject");
      return this;
    }

    /** Writes this issuer name instead of the issuing certificate's subject. */
    public Builder issuer(X500Name issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    public Builder serial(BigInteger serial) {
      this.serial = Objects.requireNonNull(serial, "serial");
      return this;
    }

    /** Start of validity; certificates carry whole seconds, so any fraction is dropped. */
    public Builder notBefore(Instant notBefore) {
      this.notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
      return this;
    }

    /** End of validity (inclusive); any fraction of a second is dropped. */
    public Builder notAfter(Instant notAfter) {
      this.notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
      return this;
    }

    /**
     * Sets an extension: replaces the one with the same OID where it stands, or appends it, so that
     * changing an extension keeps the AWS order.
     */
    public Builder extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
      Extension ext;
      try {
        ext = Extension.create(oid, critical, value);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot DER-encode extension " + oid, e);
      }
      for (int i = 0; i < extensions.size(); i++) {
        if (extensions.get(i).getExtnId().equals(oid)) {
          extensions.set(i, ext);
          return this;
        }
      }
      extensions.add(ext);
      return this;
    }

    /** Removes the extension with this OID, if present. */
    public Builder withoutExtension(ASN1ObjectIdentifier oid) {
      extensions.removeIf(e -> e.getExtnId().equals(oid));
      return this;
    }

    public Builder signatureAlgorithm(SignatureAlgorithm algorithm) {
      this.signatureAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    public CertificateProfile build() {
      return new CertificateProfile(this);
    }
  }
}
