package dev.teec.verifier.vote;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The operator signature of a bundle (spec C7): a detached JWS, next to the bundle, by which the
 * operator of a builder says "my builder made the bundle whose attested report has this SHA-384".
 * Signing changes nothing in the bundle; {@link OperatorKeys#check} verifies it offline against
 * pinned keys.
 */
public final class OperatorSignature {
  /** The {@code typ} of the protected header. */
  public static final JOSEObjectType TYPE = new JOSEObjectType("teec-bundle-signature+jws");

  /** The payload's {@code type}. */
  public static final String PAYLOAD_TYPE = "teec-bundle-signature";

  /** The payload's {@code schemaVersion}. */
  public static final int SCHEMA_VERSION = 1;

  /** Appended to the bundle's file name to name its signature file: {@code hello.tar.jws}. */
  public static final String FILE_SUFFIX = ".jws";

  /** A signature file is a few hundred bytes; anything above this is not one. */
  public static final int MAX_SIZE = 16 * 1024;

  private static final Pattern SHA384_HEX = Pattern.compile("[0-9a-f]{96}");

  private OperatorSignature() {}

  /**
   * Signs the bundle whose report has SHA-384 {@code reportSha384}.
   *
   * @param reportSha384 SHA-384 of {@code teec/report.json}, 96 lowercase hex digits: the
   *     attestation's user_data
   * @param key the operator's private EC P-384 key with a key id
   * @return the JWS compact serialization, without a line end
   * @throws IllegalArgumentException if the digest is malformed or the key cannot sign
   */
  public static String sign(String reportSha384, ECKey key) {
    Objects.requireNonNull(key, "key");
    if (!key.isPrivate() || !Curve.P_384.equals(key.getCurve()) || key.getKeyID() == null) {
      throw new IllegalArgumentException("signing needs a private EC P-384 key with a key id");
    }
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(key.getKeyID()).type(TYPE).build(),
            new Payload(payload(reportSha384)));
    try {
      jws.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalArgumentException(
          "cannot sign with key '" + key.getKeyID() + "': " + e.getMessage(), e);
    }
    return jws.serialize();
  }

  /** Where the signature of {@code bundle} is kept: the same path with {@value #FILE_SUFFIX}. */
  public static Path fileFor(Path bundle) {
    return bundle.resolveSibling(bundle.getFileName() + FILE_SUFFIX);
  }

  /**
   * The exact payload bytes for a report digest: {@code
   * {"type":"teec-bundle-signature","schemaVersion":1,"reportSha384":"<96 hex>"}}.
   *
   * @throws IllegalArgumentException if the digest is not 96 lowercase hex digits
   */
  static byte[] payload(String reportSha384) {
    Objects.requireNonNull(reportSha384, "reportSha384");
    if (!SHA384_HEX.matcher(reportSha384).matches()) {
      throw new IllegalArgumentException(
          "a report SHA-384 is 96 lowercase hex digits, got \"" + reportSha384 + "\"");
    }
    return ("{\"type\":\""
            + PAYLOAD_TYPE
            + "\",\"schemaVersion\":"
            + SCHEMA_VERSION
            + ",\"reportSha384\":\""
            + reportSha384
            + "\"}")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
