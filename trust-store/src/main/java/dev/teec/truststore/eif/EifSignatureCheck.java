package dev.teec.truststore.eif;

import java.util.Objects;

/**
 * What the signature section of a signed EIF says: who signed, and whether the signature really is
 * that certificate's signature over this file's PCR0.
 *
 * @param signer the signing certificate's subject (RFC 2253)
 * @param valid true when the COSE_Sign1 verifies with the certificate's key and its payload is
 *     {@code {register_index: 0, register_value: PCR0}} for this file's PCR0
 * @param detail one sentence: what was verified, or what is wrong
 */
public record EifSignatureCheck(String signer, boolean valid, String detail) {
  public EifSignatureCheck {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(detail, "detail");
  }
}
