package dev.teec.verifier;

import java.time.Instant;
import java.util.Objects;

/**
 * A summary of one certificate of a document's chain, leaf first, root last.
 *
 * @param role {@code leaf}, {@code intermediate} or {@code root}
 * @param subject RFC 2253 subject name
 * @param issuer RFC 2253 issuer name
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param sha256 lowercase hex SHA-256 of the DER encoding
 */
public record CertificateInfo(
    String role,
    String subject,
    String issuer,
    Instant notBefore,
    Instant notAfter,
    String sha256) {
  public CertificateInfo {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(sha256, "sha256");
  }
}
