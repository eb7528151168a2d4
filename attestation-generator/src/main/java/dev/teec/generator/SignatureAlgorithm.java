package dev.teec.generator;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;

/** Certificate signature algorithms; AWS signs every certificate with {@link #ECDSA_SHA384}. */
public enum SignatureAlgorithm {
  /** ecdsa-with-SHA384 (1.2.840.10045.4.3.3). */
  ECDSA_SHA384(X9ObjectIdentifiers.ecdsa_with_SHA384),
  /** ecdsa-with-SHA256 (1.2.840.10045.4.3.2), for certificates a verifier must refuse. */
  ECDSA_SHA256(X9ObjectIdentifiers.ecdsa_with_SHA256);

  private final ASN1ObjectIdentifier oid;

  SignatureAlgorithm(ASN1ObjectIdentifier oid) {
    this.oid = oid;
  }

  /** The algorithm's OID, as it appears in a certificate's signatureAlgorithm. */
  public ASN1ObjectIdentifier oid() {
    return oid;
  }

  /** A fresh digest of the kind this algorithm hashes with (also drives the RFC 6979 nonce). */
  Digest newDigest() {
    return this == ECDSA_SHA384 ? new SHA384Digest() : new SHA256Digest();
  }
}
