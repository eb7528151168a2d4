package dev.teec.verifier.vote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.verifier.bundle.VerifiedBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pinned operator keys of a vote ({@code --builders JWKS}, spec C3) and the check of a bundle's
 * operator signature against them (spec C7). The set is checked as a registry's maintainer keys are
 * ({@link MaintainerKeys#checkPublicSet}): EC P-384 public keys with unique key ids, and no key
 * twice however its JWK is written, so that one operator cannot count as two.
 *
 * <p>Immutable and thread-safe.
 */
public final class OperatorKeys {
  private static final Set<String> HEADER_PARAMETERS = Set.of("alg", "kid", "typ");

  private final Map<String, ECKey> byKeyId = new LinkedHashMap<>();

  private OperatorKeys(JWKSet set) {
    for (JWK k : set.getKeys()) {
      byKeyId.put(k.getKeyID(), k.toECKey().toPublicJWK());
    }
  }

  /**
   * Pins {@code set}.
   *
   * @throws RegistryFormatException naming the offending key when the set is empty, a key is not an
   *     EC P-384 public key with a unique key id, or one key is listed twice
   */
  public static OperatorKeys of(JWKSet set) throws RegistryFormatException {
    MaintainerKeys.checkPublicSet(set);
    return new OperatorKeys(set);
  }

  /**
   * Parses and pins a JWK set.
   *
   * @throws RegistryFormatException as {@link #of}, or when {@code json} is not a JWK set
   */
  public static OperatorKeys parse(String json) throws RegistryFormatException {
    return of(MaintainerKeys.parsePublicSet(json));
  }

  /** The pinned key ids, in set order. */
  public List<String> keyIds() {
    return List.copyOf(byKeyId.keySet());
  }

  /**
   * Checks that {@code signature} is an operator signature of {@code bundle} by a pinned key. The
   * signature is verified before its payload is read, and the payload must then be exactly the one
   * {@link OperatorSignature#sign} makes for this bundle's report SHA-384.
   *
   * @param bundle the verified bundle
   * @param signature the signature file's bytes, or null when there is none
   * @return the signing key's id, or why the signature does not count
   */
  public OperatorSignatureCheck check(VerifiedBundle bundle, byte[] signature) {
    Objects.requireNonNull(bundle, "bundle");
    if (signature == null) {
      return OperatorSignatureCheck.rejected(
          "no operator signature (" + bundle.input() + OperatorSignature.FILE_SUFFIX + ")");
    }
    if (signature.length > OperatorSignature.MAX_SIZE) {
      return OperatorSignatureCheck.rejected(
          "the operator signature is larger than " + OperatorSignature.MAX_SIZE + " bytes");
    }
    String text = new String(signature, StandardCharsets.UTF_8);
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    JWSObject jws;
    try {
      jws = JWSObject.parse(text);
    } catch (ParseException e) {
      return OperatorSignatureCheck.rejected(
          "the operator signature is not a JWS compact serialization: " + e.getMessage());
    }
    JWSHeader header = jws.getHeader();
    String headerProblem = headerProblem(header);
    if (headerProblem != null) {
      return OperatorSignatureCheck.rejected("the operator signature's header " + headerProblem);
    }
    String kid = header.getKeyID();
    ECKey key = byKeyId.get(kid);
    if (key == null) {
      return OperatorSignatureCheck.rejected(
          "signed with key '" + kid + "', which is not a pinned operator key");
    }
    if (!verifies(jws, key)) {
      return OperatorSignatureCheck.rejected(
          "the operator signature does not verify with the pinned key '"
              + kid
              + "' (forged, altered, or made with another key)");
    }
    byte[] expected = OperatorSignature.payload(bundle.reportSha384());
    byte[] payload = jws.getPayload().toBytes();
    if (!MessageDigest.isEqual(expected, payload)) {
      return OperatorSignatureCheck.rejected(
          "key '" + kid + "' signed " + signedReport(payload) + ", not this bundle");
    }
    return OperatorSignatureCheck.signedBy(kid);
  }

  /** Null when the header is exactly alg ES384, typ and kid; otherwise what is wrong with it. */
  private static String headerProblem(JWSHeader header) {
    Set<String> extra = new TreeSet<>(header.getIncludedParams());
    extra.removeAll(HEADER_PARAMETERS);
    if (!extra.isEmpty()) {
      return "has parameters other than alg, kid and typ: " + String.join(", ", extra);
    }
    if (!JWSAlgorithm.ES384.equals(header.getAlgorithm())) {
      return "names algorithm " + header.getAlgorithm() + "; only ES384 is accepted";
    }
    if (!OperatorSignature.TYPE.equals(header.getType())) {
      return "has typ " + header.getType() + ", not " + OperatorSignature.TYPE;
    }
    if (header.getKeyID() == null || header.getKeyID().isEmpty()) {
      return "names no key (kid)";
    }
    return null;
  }

  private static boolean verifies(JWSObject jws, ECKey key) {
    try {
      return jws.verify(new ECDSAVerifier(key));
    } catch (JOSEException | IllegalStateException e) {
      return false;
    }
  }

  /** What an authentic payload that is not this bundle's names, for the message. */
  private static String signedReport(byte[] payload) {
    try {
      JsonNode node = new ObjectMapper().readTree(payload);
      JsonNode digest = node == null ? null : node.get("reportSha384");
      if (digest != null && digest.isTextual()) {
        return "the report with SHA-384 " + digest.textValue();
      }
    } catch (IOException e) {
      // Not JSON: described below.
    }
    return "a payload that is not an operator signature (spec/formats/operator-signature.md#C7)";
  }
}
