package dev.teec.truststore.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maintainer signing keys: EC P-384 JWKs with a key id, used with ES384. A private key stays with
 * its maintainer; verifiers pin the public halves as a JWK set.
 */
public final class MaintainerKeys {
  /** The length of a P-384 coordinate: 384 bits. */
  private static final int COORDINATE_BYTES = 48;

  /** Largest key set or key read: hundreds of maintainers' keys. */
  private static final int MAX_JWKS_BYTES = 1 << 20;

  private static final BoundedJson JWKS_READER =
      BoundedJson.json(JsonLimits.of(MAX_JWKS_BYTES).withMaxStringLength(64 * 1024));

  /** The JOSE library's own bound on a header. */
  private static final int MAX_HEADER_BYTES = 20_000;

  private static final BoundedJson HEADER_READER =
      BoundedJson.json(JsonLimits.of(MAX_HEADER_BYTES));

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
      boundedJson(json.getBytes(StandardCharsets.UTF_8), JWKS_READER, "$");
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw new RegistryFormatException("$", "not a JWK set: " + e.getMessage());
    }
    checkPublicSet(set);
    return set;
  }

  /**
   * Checks a set of pinned maintainer keys, however it was made: at least one key, each an EC P-384
   * public key with a key id and coordinates of exactly 48 bytes (RFC 7518 section 6.2.1), no key
   * id twice, and no key twice. Keys are compared by their decoded points, so one maintainer's key
   * listed again under another key id, or with differently encoded coordinates, is an error rather
   * than a second vote in a k-of-n threshold.
   *
   * @throws RegistryFormatException naming the offending key by its index in the set
   */
  public static void checkPublicSet(JWKSet set) throws RegistryFormatException {
    if (set.getKeys().isEmpty()) {
      throw new RegistryFormatException("$.keys", "no keys");
    }
    Set<String> kids = new HashSet<>();
    Map<String, String> points = new HashMap<>();
    for (int i = 0; i < set.getKeys().size(); i++) {
      String path = "$.keys[" + i + "]";
      ECKey ec = requireEc(set.getKeys().get(i), path);
      if (ec.isPrivate()) {
        throw new RegistryFormatException(
            path + ".d", "a pinned key set must hold public keys only");
      }
      if (!kids.add(ec.getKeyID())) {
        throw new RegistryFormatException(
            path + ".kid", "duplicate key id '" + ec.getKeyID() + "'");
      }
      for (String coordinate : List.of("x", "y")) {
        int length = (coordinate.equals("x") ? ec.getX() : ec.getY()).decode().length;
        if (length != COORDINATE_BYTES) {
          throw new RegistryFormatException(
              path + "." + coordinate,
              length
                  + " bytes; a P-384 coordinate is exactly "
                  + COORDINATE_BYTES
                  + " bytes (RFC 7518 section 6.2.1.2)");
        }
      }
      String earlier = points.putIfAbsent(canonicalThumbprint(ec), ec.getKeyID());
      if (earlier != null) {
        throw new RegistryFormatException(
            path,
            "the same key as '"
                + earlier
                + "' under another key id: one maintainer's key counts once");
      }
    }
  }

  /**
   * The RFC 7638 thumbprint of the key's decoded point, re-encoded canonically: equal for equal
   * keys however their JWKs were written.
   */
  static String canonicalThumbprint(ECKey key) {
    try {
      return new ECKey.Builder(Curve.P_384, key.toECPublicKey())
          .build()
          .computeThumbprint()
          .toString();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("not a valid P-384 public key: " + e.getMessage(), e);
    }
  }

  /**
   * Reads every signature's protected header of a JWS JSON envelope with the bounded reader, so
   * that the JOSE library parses only headers that keep the limits.
   *
   * @param signatures the envelope's {@code signatures} member
   */
  static void checkProtectedHeaders(JsonNode signatures) throws RegistryFormatException {
    for (int i = 0; i < signatures.size(); i++) {
      JsonNode header = signatures.get(i).path("protected");
      if (header.isTextual()) {
        String path = "$.signatures[" + i + "].protected";
        byte[] decoded;
        try {
          decoded = Base64.getUrlDecoder().decode(header.textValue());
        } catch (IllegalArgumentException e) {
          throw new RegistryFormatException(path, "not base64url: " + e.getMessage());
        }
        boundedJson(decoded, HEADER_READER, path);
      }
    }
  }

  private static void boundedJson(byte[] json, BoundedJson reader, String path)
      throws RegistryFormatException {
    try {
      reader.read(json);
    } catch (IOException e) {
      throw new RegistryFormatException(path, "not valid JSON: " + e.getMessage());
    }
  }

  private static ECKey parseEc(String json, String path) throws RegistryFormatException {
    try {
      boundedJson(json.getBytes(StandardCharsets.UTF_8), JWKS_READER, path);
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
