package dev.teec.generator;

import dev.teec.encoding.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * An AWS-shaped certificate chain (root, regional, zonal and instance CAs, leaf) and its keys, all
 * derived from a seed and a base instant: the same inputs always give the same DER bytes. The base
 * instant is the moment the chain is meant to be used at; every certificate is valid then (the leaf
 * from 100 minutes before to about 80 minutes after, like a real leaf sampled mid-life).
 *
 * <pre>{@code
 * SimulatedChain chain = SimulatedChain.generate("my-seed", Instant.parse("2025-06-01T12:00:00Z"));
 * byte[] document = DocumentSigner.sign(chain, DocumentSpec.builder(chain.moduleId(), chain.base(), pcrs).build());
 * }</pre>
 *
 * <p>{@link #builder(String, Instant)} makes variants: other keys, other signers, or changed
 * certificate profiles. Immutable; accessors return copies.
 */
public final class SimulatedChain {
  private final String seed;
  private final Instant base;
  private final Map<CertRole, byte[]> certificates;
  private final Map<CertRole, DeterministicKey> keys;

  private SimulatedChain(
      String seed,
      Instant base,
      Map<CertRole, byte[]> certificates,
      Map<CertRole, DeterministicKey> keys) {
    this.seed = seed;
    this.base = base;
    this.certificates = certificates;
    this.keys = keys;
  }

  /** The AWS-shaped chain for {@code seed}, valid at {@code base}. */
  public static SimulatedChain generate(String seed, Instant base) {
    return builder(seed, base).build();
  }

  /** A builder for variants of the chain {@link #generate(String, Instant)} would give. */
  public static Builder builder(String seed, Instant base) {
    return new Builder(seed, base);
  }

  public String seed() {
    return seed;
  }

  /** The instant the chain was built to be valid at. */
  public Instant base() {
    return base;
  }

  /** The module id matching the leaf's name, as a document from this enclave carries it. */
  public String moduleId() {
    return AwsProfiles.moduleId(seed);
  }

  /** DER of the certificate in {@code role}. */
  public byte[] certificate(CertRole role) {
    return certificates.get(role).clone();
  }

  /** The key whose public half is in the {@code role} certificate. */
  public DeterministicKey key(CertRole role) {
    return keys.get(role);
  }

  /** DER of the leaf certificate: a document's {@code certificate}. */
  public byte[] leafCertificate() {
    return certificate(CertRole.LEAF);
  }

  /** The leaf's key, which signs documents. */
  public DeterministicKey leafKey() {
    return key(CertRole.LEAF);
  }

  /** A document's {@code cabundle}: DER of root, regional, zonal and instance CA, in that order. */
  public List<byte[]> cabundle() {
    List<byte[]> out = new ArrayList<>();
    for (CertRole role :
        List.of(CertRole.ROOT, CertRole.REGIONAL, CertRole.ZONAL, CertRole.INSTANCE)) {
      out.add(certificate(role));
    }
    return List.copyOf(out);
  }

  /** The root certificate in PEM, to pass to a verifier as its trust anchor. */
  public String rootPem() {
    return pem(certificates.get(CertRole.ROOT));
  }

  /** PEM of one DER certificate: 64-character base64 lines, {@code \n} line ends. */
  public static String pem(byte[] der) {
    return Pem.certificate(der);
  }

  /**
   * Builds chain variants. Defaults: every key derived from the seed and the role's label (P-384),
   * every certificate signed by its issuer's key, AWS-shaped profiles.
   */
  public static final class Builder {
    private final String seed;
    private final Instant base;
    private final Map<CertRole, DeterministicKey> keys = new EnumMap<>(CertRole.class);
    private final Map<CertRole, DeterministicKey> signers = new EnumMap<>(CertRole.class);
    private final Map<CertRole, Consumer<CertificateProfile.Builder>> changes =
        new EnumMap<>(CertRole.class);

    private Builder(String seed, Instant base) {
      this.seed = Objects.requireNonNull(seed, "seed");
      this.base = Objects.requireNonNull(base, "base");
    }

    /**
     * Uses {@code key} as the {@code role} certificate's key. Key identifiers follow the key, so a
     * replaced root changes the regional CA's Authority Key Identifier as a real re-keying would.
     */
    public Builder key(CertRole role, DeterministicKey key) {
      keys.put(role, Objects.requireNonNull(key, "key"));
      return this;
    }

    /** Signs the {@code role} certificate with {@code key} instead of its issuer's key. */
    public Builder signingKey(CertRole role, DeterministicKey key) {
      signers.put(role, Objects.requireNonNull(key, "key"));
      return this;
    }

    /** Changes the {@code role} certificate's profile after the AWS defaults are filled in. */
    public Builder customize(CertRole role, Consumer<CertificateProfile.Builder> change) {
      changes.merge(role, Objects.requireNonNull(change, "change"), Consumer::andThen);
      return this;
    }

    public SimulatedChain build() {
      Map<CertRole, DeterministicKey> chainKeys = new EnumMap<>(CertRole.class);
      for (CertRole role : CertRole.values()) {
        DeterministicKey key = keys.get(role);
        chainKeys.put(
            role, key != null ? key : DeterministicKey.derive(seed, role.label(), KeyType.P384));
      }
      Map<CertRole, CertificateProfile> profiles = new EnumMap<>(CertRole.class);
      Map<CertRole, byte[]> certs = new EnumMap<>(CertRole.class);
      for (CertRole role : CertRole.values()) {
        CertificateProfile.Builder p = AwsProfiles.profile(role, seed, base, chainKeys).toBuilder();
        changes.getOrDefault(role, b -> {}).accept(p);
        CertificateProfile profile = p.build();
        profiles.put(role, profile);
        X500Name issuer =
            profile.issuer() != null ? profile.issuer() : profiles.get(role.issuer()).subject();
        DeterministicKey signer = signers.getOrDefault(role, chainKeys.get(role.issuer()));
        certs.put(role, issue(profile, issuer, chainKeys.get(role), signer));
      }
      return new SimulatedChain(seed, base, certs, chainKeys);
    }

    private static byte[] issue(
        CertificateProfile p,
        X500Name issuer,
        DeterministicKey subjectKey,
        DeterministicKey signer) {
      X509v3CertificateBuilder b =
          new X509v3CertificateBuilder(
              issuer,
              p.serial(),
              // UTCTime until 2049, GeneralizedTime after, as RFC 5280 requires; Locale.ROOT keeps
              // digits ASCII.
              new Time(Date.from(p.notBefore()), Locale.ROOT),
              new Time(Date.from(p.notAfter()), Locale.ROOT),
              p.subject(),
              subjectKey.subjectPublicKeyInfo());
      try {
        for (Extension e : p.extensions()) {
          b.addExtension(e);
        }
        return b.build(signer.certificateSigner(p.signatureAlgorithm())).getEncoded();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode a certificate", e);
      }
    }
  }
}
