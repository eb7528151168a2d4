package dev.teec.generator;

import java.util.Locale;

/**
 * The five certificates of an AWS Nitro chain, from the root down. A document's {@code cabundle}
 * lists {@link #ROOT} to {@link #INSTANCE} in this order, and its {@code certificate} is the {@link
 * #LEAF}.
 */
public enum CertRole {
  /** Self-signed root, valid about 30 years (AWS: CN=aws.nitro-enclaves). */
  ROOT,
  /** Regional CA, pathLen 2, valid about 20 days. */
  REGIONAL,
  /** Zonal CA, pathLen 1, valid about 6 days. */
  ZONAL,
  /** Per-instance CA, pathLen 0, valid 1 day. */
  INSTANCE,
  /** The enclave's signing certificate, not a CA, valid about 3 hours. */
  LEAF;

  /** Lowercase name, used in derivation labels. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role whose key signs this role's certificate; the root signs itself. */
  public CertRole issuer() {
    return this == ROOT ? ROOT : values()[ordinal() - 1];
  }
}
