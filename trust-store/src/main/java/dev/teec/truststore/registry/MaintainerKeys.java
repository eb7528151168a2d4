package dev.teec.truststore.registry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Maintainer signing keys: EC P-384 JWKs with a key id, used with ES384. A private key stays with
 * its maintainer; verifiers pin the public halves as a JWK set.
 */
public final class MaintainerKeys {
  private MaintainerKeys() {}

  /**
   * A new P-384 key pair.
   *
   * @param kid the key id signatures will name, e.g. the maintainer's handle
   */
  public static ECKey generate(String kid) {
    requireKid(kid);
    try {
      return new ECKeyGenerator(Curve.P_384)
          .keyID(kid)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES384)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(
          "P-384 key generation is available on every Java platform", e);
    }
  }

  /**
   * Parses a private signing key.
   *
   * @throws RegistryFormatException if the text is not an EC P-384 private JWK with a key id
   */
  public static ECKey parsePrivate(String json) throws RegistryFormatException {
    ECKey key = parseEc(json, "$");
    if (!key.isPrivate()) {
      throw new RegistryFormatException(
          "$.d", "missing: this is a public key, signing needs the private key");
    }
    return key;
  }

  /**
   * Parses the pinned maintainer keys. Private members are refused: a set that is handed to every
   * verifier must not carry a signing key.
   *
   * @throws RegistryFormatException if the set is empty, a key is not EC P-384 with a unique key
   *     id, or a key is private
   */
  public static JWKSet parsePublicSet(String json) throws RegistryFormatException {
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw new RegistryFormatException("$", "not a JWK set: " + e.getMessage());
    }
    if (set.getKeys().isEmpty()) {
      throw new RegistryFormatException("$.keys", "no keys");
    }
    Set<String> kids = new HashSet<>();
    List<JWK> checked = new ArrayList<>();
    for (int i = 0; i < set.getKeys().size(); i++) {
      JWK k = set.getKeys().get(i);
      String path = "$.keys[" + i + "]";
      ECKey ec = requireEc(k, path);
      if (ec.isPrivate()) {
        throw new RegistryFormatException(
            path + ".d", "a pinned key set must hold public keys only");
      }
      if (!kids.add(ec.getKeyID())) {
        throw new RegistryFormatException(
            path + ".kid", "duplicate key id '" + ec.getKeyID() + "'");
      }
      checked.add(ec);
    }
    return new JWKSet(checked);
  }

  private static ECKey parseEc(String json, String path) throws RegistryFormatException {
    try {
      return requireEc(JWK.parse(json), path);
    } catch (ParseException e) {
      throw new RegistryFormatException(path, "not a JWK: " + e.getMessage());
    }
  }

  private static ECKey requireEc(JWK k, String path) throws RegistryFormatException {
    if (!(k instanceof ECKey ec) || !Curve.P_384.equals(ec.getCurve())) {
      throw new RegistryFormatException(path, "expected an EC P-384 key (kty EC, crv P-384)");
    }
    if (ec.getKeyID() == null || ec.getKeyID().isBlank()) {
      throw new RegistryFormatException(path + ".kid", "missing: signatures name their key by kid");
    }
    return ec;
  }

  static void requireKid(String kid) {
    if (kid == null || !kid.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
      throw new IllegalArgumentException(
          "key id must be 1-64 of A-Z a-z 0-9 . _ @ -, got '" + kid + "'");
    }
  }
}
