package dev.teec.formats.report;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A P-384 key pair made for one build: its public key goes into the attestation's {@code
 * public_key} (as {@link #publicKeyDer()}), its private key signs the report's DSSE envelope and is
 * never written anywhere. Signatures are ECDSA with SHA-384, DER-encoded, with nonces drawn from
 * the injected random source.
 */
public final class EphemeralSigningKey implements Signer {
  private final PrivateKey privateKey;
  private final ECPublicKey publicKey;
  private final byte[] publicKeyDer;
  private final String keyId;
  private final SecureRandom random;

  private EphemeralSigningKey(KeyPair pair, SecureRandom random) {
    this.privateKey = pair.getPrivate();
    this.publicKey = (ECPublicKey) pair.getPublic();
    this.publicKeyDer = publicKey.getEncoded();
    this.random = random;
    try {
      this.keyId =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKeyDer));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /**
   * Generates a fresh key pair on P-384.
   *
   * @param random source of the key and of every signature nonce
   */
  public static EphemeralSigningKey generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(EcP384.CURVE), random);
      return new EphemeralSigningKey(generator.generateKeyPair(), random);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate P-384 keys", e);
    }
  }

  /** The public key as DER SubjectPublicKeyInfo (named curve, uncompressed point): 120 bytes. */
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

  /** ECDSA P-384 / SHA-384 signature of {@code message}, DER-encoded. */
  @Override
  public byte[] sign(byte[] message) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(EcP384.SIGNATURE_ALGORITHM);
    signature.initSign(privateKey, random);
    signature.update(message);
    return signature.sign();
  }
}
