package dev.teec.verifier;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The decoded payload of an attestation document. Holding one says nothing about its authenticity:
 * only a {@link VerifiedAttestation} does.
 *
 * @param kind enclave (NSM) or NitroTPM document
 * @param moduleId the issuing module's id
 * @param digest the digest name, always {@code SHA384} for a well-formed document
 * @param timestamp the signed creation time (millisecond precision)
 * @param pcrs platform configuration registers by index ({@code nitrotpm_pcrs} for NitroTPM)
 * @param certificate DER of the leaf certificate that signed the document
 * @param cabundle DER certificates in document order: root first, then intermediates
 * @param publicKey optional public key the enclave chose to attest
 * @param userData optional user data the enclave chose to attest
 * @param nonce optional nonce supplied by the party requesting the attestation
 * @param unknownKeys payload keys this verifier does not know, in document order
 */
public record AttestationDocument(
    DocumentKind kind,
    String moduleId,
    String digest,
    Instant timestamp,
    SortedMap<Integer, Bytes> pcrs,
    Bytes certificate,
    List<Bytes> cabundle,
    Optional<Bytes> publicKey,
    Optional<Bytes> userData,
    Optional<Bytes> nonce,
    List<String> unknownKeys) {

  public AttestationDocument {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(moduleId, "moduleId");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(timestamp, "timestamp");
    pcrs = Collections.unmodifiableSortedMap(new TreeMap<>(pcrs));
    Objects.requireNonNull(certificate, "certificate");
    cabundle = List.copyOf(cabundle);
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(userData, "userData");
    Objects.requireNonNull(nonce, "nonce");
    unknownKeys = List.copyOf(unknownKeys);
  }

  /** The value of PCR {@code index}, if the document has it. */
  public Optional<Bytes> pcr(int index) {
    return Optional.ofNullable(pcrs.get(index));
  }

  /**
   * True for an enclave started in debug mode: AWS then reports PCR0, PCR1 and PCR2 as all zeros,
   * so such a document says nothing about the code that ran.
   */
  public boolean debugMode() {
    return kind == DocumentKind.NITRO_ENCLAVE
        && isZero(pcrs.get(0))
        && isZero(pcrs.get(1))
        && isZero(pcrs.get(2));
  }

  private static boolean isZero(Bytes value) {
    return value != null && value.isAllZero();
  }
}
