package dev.teec.truststore.registry;

import dev.teec.digest.Digests;
import dev.teec.verifier.Bytes;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * An additional trusted root certificate for special cases, such as the simulated root used in
 * local development. It is honoured only on request: a verifier trusts it only when its caller
 * names it explicitly (the {@code onRequestOnly} flag in the JSON is always true, so that no future
 * reading can turn it into an automatic anchor).
 *
 * @param id stable identifier, e.g. {@code teec-simulated-root}
 * @param description why the root exists and when to honour it
 * @param der the certificate, DER-encoded
 */
public record ExtraRoot(String id, String description, Bytes der) {
  public ExtraRoot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(der, "der");
    if (!id.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException("root id must be 1-64 of a-z 0-9 . _ -, got '" + id + "'");
    }
    certificate(der); // validates
  }

  /** The parsed certificate. */
  public X509Certificate certificate() {
    return certificate(der);
  }

  /** Lowercase hex SHA-256 of the DER, the fingerprint people compare. */
  public String sha256() {
    return Digests.sha256Hex(der.toByteArray());
  }

  private static X509Certificate certificate(Bytes der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der.toByteArray()));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
    }
  }
}
