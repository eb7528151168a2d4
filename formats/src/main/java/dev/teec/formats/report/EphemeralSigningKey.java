package dev.teec.formats.report;

import dev.teec.digest.Digests;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;

/**
 * A key pair made for one build: its public key goes into the attestation's {@code public_key} (as
 * {@link #publicKeyDer()}), its private key signs the report's DSSE envelope and is never written
 * anywhere. Signatures are ECDSA with the curve's hash ({@link EnvelopeCurve}), DER-encoded, with
 * nonces drawn from the injected random source.
 */
public final class EphemeralSigningKey implements Signer {
  private final EnvelopeCurve curve;
  private final PrivateKey privateKey;
  private final ECPublicKey publicKey;
  private final byte[] publicKeyDer;
  private final String keyId;
  private final SecureRandom random;

  private EphemeralSigningKey(EnvelopeCurve curve, KeyPair pair, SecureRandom random) {
    this.curve = curve;
    this.privateKey = pair.getPrivate();
    this.publicKey = (ECPublicKey) pair.getPublic();
    this.publicKeyDer = publicKey.getEncoded();
    this.random = random;
    this.keyId = Digests.sha256Hex(publicKeyDer);
  }

  /**
   * Generates a fresh key pair on P-256, the curve of every envelope teec makes (SPEC W5).
   *
   * @param random source of the key and of every signature nonce
   */
  public static EphemeralSigningKey generate(SecureRandom random) {
    return generate(EnvelopeCurve.P256, random);
  }

  /**
   * Generates a fresh key pair on {@code curve}; P-384 makes envelopes as teec made them before
   * P-256, which verifiers still accept.
   *
   * @param random source of the key and of every signature nonce
   */
  public static EphemeralSigningKey generate(EnvelopeCurve curve, SecureRandom random) {
    Objects.requireNonNull(curve, "curve");
    Objects.requireNonNull(random, "random");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve.standardName()), random);
      return new EphemeralSigningKey(curve, generator.generateKeyPair(), random);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "this JVM cannot generate " + curve.displayName() + " keys", e);
    }
  }

  /** The curve of this key. */
  public EnvelopeCurve curve() {
    return curve;
  }

  /**
   * The public key as DER SubjectPublicKeyInfo (named curve, uncompressed point): 91 bytes on
   * P-256, 120 on P-384.
   */
  public byte[] publicKeyDer() {
    return publicKeyDer.clone();
  }

  /** The public key. */
  public ECPublicKey publicKey() {
    return publicKey;
  }

  /** Lowercase hex SHA-256 of {@link #publicKeyDer()}. */
  @Override
  public String keyId() {
    return keyId;
  }

  /** ECDSA signature of {@code message} with the curve's hash, DER-encoded. */
  @Override
  public byte[] sign(byte[] message) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(curve.signatureAlgorithm());
    signature.initSign(privateKey, random);
    signature.update(message);
    return signature.sign();
  }
}
