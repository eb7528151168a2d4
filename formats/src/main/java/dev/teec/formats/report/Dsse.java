package dev.teec.formats.report;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;
import java.util.Objects;

/**
 * Dead Simple Signing Envelope (DSSE v1) signing and verification, SPEC W5.
 *
 * <p>Signatures cover {@code PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body},
 * LEN being the decimal byte length without leading zeros. teec signs with ECDSA on P-256 with
 * SHA-256 and DER-encodes the signature (as sigstore does for ECDSA); it verifies that and, for
 * older envelopes, ECDSA on P-384 with SHA-384: the attested key's curve decides ({@link
 * EnvelopeCurve}).
 */
public final class Dsse {
  /** The payload type of an in-toto statement, which the build report is. */
  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  private static final byte[] PREFIX = "DSSEv1".getBytes(StandardCharsets.US_ASCII);

  private Dsse() {}

  /** The pre-authentication encoding of {@code payloadType} (UTF-8) and {@code payload}. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + payload.length + 32);
    out.writeBytes(PREFIX);
    out.write(' ');
    out.writeBytes(Integer.toString(type.length).getBytes(StandardCharsets.US_ASCII));
    out.write(' ');
    out.writeBytes(type);
    out.write(' ');
    out.writeBytes(Integer.toString(payload.length).getBytes(StandardCharsets.US_ASCII));
    out.write(' ');
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** Signs {@code payload} as {@code payloadType} with one signature from {@code signer}. */
  public static DsseEnvelope sign(String payloadType, byte[] payload, Signer signer)
      throws GeneralSecurityException {
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(payload, "payload");
    byte[] sig = signer.sign(pae(payloadType, payload));
    return new DsseEnvelope(payloadType, payload, List.of(new DsseSignature(signer.keyId(), sig)));
  }

  /**
   * Parses {@code envelopeJson} strictly ({@link DsseEnvelope#parse}) and verifies it.
   *
   * @return the authenticated payload
   * @throws DsseException if the envelope is malformed, of another type, or unsigned by the key
   */
  public static byte[] verify(byte[] envelopeJson, String expectedPayloadType, PublicKey key)
      throws DsseException {
    return verify(DsseEnvelope.parse(envelopeJson), expectedPayloadType, key);
  }

  /**
   * Verifies {@code envelope}: its payload type must equal {@code expectedPayloadType} and at least
   * one of its signatures must be a canonical DER ECDSA signature of the PAE by {@code key}, with
   * the hash of the key's curve ({@link EnvelopeCurve}). Key ids are ignored, as DSSE requires.
   *
   * @return the authenticated payload
   * @throws DsseException if not
   */
  public static byte[] verify(DsseEnvelope envelope, String expectedPayloadType, PublicKey key)
      throws DsseException {
    EnvelopeCurve curve;
    try {
      curve = EnvelopeCurve.of(key);
    } catch (InvalidKeyException e) {
      throw new DsseException("cannot verify: " + e.getMessage(), e);
    }
    if (!envelope.payloadType().equals(expectedPayloadType)) {
      throw new DsseException(
          "payloadType is \""
              + Checks.abbreviate(envelope.payloadType())
              + "\", expected \""
              + expectedPayloadType
              + "\"");
    }
    byte[] payload = envelope.payload();
    byte[] pae = pae(envelope.payloadType(), payload);
    String lastProblem = null;
    for (int i = 0; i < envelope.signatures().size(); i++) {
      byte[] sig = envelope.signatures().get(i).sig();
      try {
        curve.checkDerSignature(sig);
        Signature verifier = Signature.getInstance(curve.signatureAlgorithm());
        verifier.initVerify(key);
        verifier.update(pae);
        if (verifier.verify(sig)) {
          return payload;
        }
        lastProblem = "signature " + i + " does not verify with the given key";
      } catch (DsseException e) {
        lastProblem = "signature " + i + ": " + e.getMessage();
      } catch (GeneralSecurityException e) {
        lastProblem = "signature " + i + " could not be checked: " + e.getMessage();
      }
    }
    throw new DsseException(
        envelope.signatures().size() == 1
            ? lastProblem
            : "no signature verifies with the given key (last: " + lastProblem + ")");
  }
}
