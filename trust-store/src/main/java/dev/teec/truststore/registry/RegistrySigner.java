package dev.teec.truststore.registry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObjectJSON;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import java.text.ParseException;

/**
 * Signs registries in JWS JSON general serialization, so that several maintainers sign the same
 * payload bytes: the first signature creates the envelope, each further maintainer adds one
 * (SPEC.md section R2). The payload is never re-serialised once signed.
 */
public final class RegistrySigner {
  /** The {@code typ} of every registry signature's protected header. */
  public static final JOSEObjectType TYPE = new JOSEObjectType("teec-registry+jws");

  private RegistrySigner() {}

  /** A signed envelope over the canonical serialisation of {@code registry}, with one signature. */
  public static String sign(Registry registry, ECKey key) {
    JWSObjectJSON jws = new JWSObjectJSON(new Payload(RegistryJson.serialize(registry)));
    addTo(jws, key);
    return jws.serializeGeneral();
  }

  /**
   * Adds {@code key}'s signature to a signed envelope, leaving the payload and the other signatures
   * byte for byte as they were.
   *
   * @throws RegistryFormatException if {@code envelope} is not a signed registry, or {@code key}
   *     has already signed it
   */
  public static String addSignature(String envelope, ECKey key) throws RegistryFormatException {
    JWSObjectJSON jws;
    try {
      jws = JWSObjectJSON.parse(envelope);
    } catch (ParseException e) {
      throw new RegistryFormatException("$", "not a JWS JSON envelope: " + e.getMessage());
    }
    RegistryJson.parse(jws.getPayload().toBytes()); // refuse to sign what is not a registry
    for (JWSObjectJSON.Signature s : jws.getSignatures()) {
      if (key.getKeyID().equals(s.getHeader().getKeyID())) {
        throw new RegistryFormatException(
            "$.signatures", "key '" + key.getKeyID() + "' has already signed");
      }
    }
    addTo(jws, key);
    return jws.serializeGeneral();
  }

  private static void addTo(JWSObjectJSON jws, ECKey key) {
    if (!key.isPrivate()) {
      throw new IllegalArgumentException("signing needs a private key");
    }
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(key.getKeyID()).type(TYPE).build();
    try {
      jws.sign(header, new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalArgumentException(
          "cannot sign with key '" + key.getKeyID() + "': " + e.getMessage(), e);
    }
  }
}
