package dev.teec.enclave.proxy;

import dev.teec.encoding.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;

/**
 * The ephemeral certificate authority of one build: an EC P-256 root, valid for a short window,
 * that issues a TLS server certificate for each host the build connects to through the proxy.
 *
 * <p>The private key never leaves this object (it is not written anywhere), so once the build ends
 * and the object is dropped nobody can issue another certificate under this root. Only the root
 * certificate is exported, as PEM and as a PKCS12 trust store, for the toolchain to trust.
 *
 * <p>Thread-safe: leaf certificates are issued at most once per host and cached.
 */
public final class ProxyCa {

  /** Validity of the root and of every leaf, counted from the moment of generation. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(2);

  /**
   * Password given to the JVMs that load the trust store written by {@link #writeTruststore}. It
   * protects nothing (the store holds only a public certificate and has no MAC); it is passed
   * because some tools refuse a trust store without a password.
   */
  public static final String TRUSTSTORE_PASSWORD = "teec-proxy-ca";

  /** The alias of the root in the trust store. */
  public static final String TRUSTSTORE_ALIAS = "teec-build-proxy-ca";

  // Oracle's trustedKeyUsage (2.16.840.1.113894.746875.1.1), as the JDK's PKCS12 key store writes
  // it.
  private static final ASN1ObjectIdentifier JDK_TRUSTED_KEY_USAGE =
      new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");

  // Tolerates a toolchain whose idea of "now" lags a little behind the worker's.
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final String CURVE = "secp256r1";
  // RFC 5280 upper bound for a common name.
  private static final int MAX_CN_LENGTH = 64;

  private final SecureRandom random;
  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Instant notBefore;
  private final Instant notAfter;
  private final ConcurrentMap<String, Leaf> leaves = new ConcurrentHashMap<>();

  private record Leaf(List<X509Certificate> chain, SSLContext context) {}

  private ProxyCa(
      SecureRandom random,
      X509Certificate certificate,
      PrivateKey key,
      Instant notBefore,
      Instant notAfter) {
    this.random = random;
    this.certificate = certificate;
    this.key = key;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
  }

  /**
   * Creates a new CA valid from one hour before {@code clock.instant()} for {@link
   * #DEFAULT_VALIDITY}.
   */
  public static ProxyCa generate(SecureRandom random, Clock clock) {
    return generate(random, clock, DEFAULT_VALIDITY);
  }

  /**
   * Creates a new CA: a fresh P-256 key from {@code random}, a self-signed root with a random
   * serial and a subject unique to this CA, valid from one hour before now until now + {@code
   * validity}.
   *
   * @throws IllegalArgumentException if {@code validity} is not positive
   */
  public static ProxyCa generate(SecureRandom random, Clock clock, Duration validity) {
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(clock, "clock");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("CA validity must be positive, got " + validity);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant from = now.minus(BACKDATE);
    Instant until = now.plus(validity);
    KeyPair pair = newKeyPair(random);
    BigInteger serial = serial(random);
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "teec")
            .addRDN(
                BCStyle.CN, "teec build proxy CA " + HexFormat.of().toHexDigits(serial.longValue()))
            .build();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject, serial, time(from), time(until), subject, pair.getPublic());
      // pathLen 0: the root may sign leaves only, never another CA.
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate root = sign(b, pair.getPrivate(), random);
      return new ProxyCa(random, root, pair.getPrivate(), from, until);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create the proxy CA", e);
    }
  }

  /** The root certificate the toolchain must trust. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The root certificate as one PEM block ending in a newline. */
  public String certificatePem() {
    try {
      return Pem.certificate(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode the proxy CA", e);
    }
  }

  /** Writes {@link #certificatePem()} to {@code file} atomically (temporary file, then rename). */
  public void writePem(Path file) throws IOException {
    AtomicFiles.write(file, certificatePem().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Writes a PKCS12 trust store holding only the root (alias {@link #TRUSTSTORE_ALIAS}) to {@code
   * file} atomically, for JVM toolchains. Any password, {@link #TRUSTSTORE_PASSWORD} or none, opens
   * it.
   */
  public void writeTruststore(Path file) throws IOException {
    // Neither encrypted nor MAC-protected: the store holds one public certificate, so a password
    // would keep nothing secret, and the JDK's KeyStore.store derives the encryption key and the
    // MAC key with 10000 PBKDF2 iterations each (about 0.2 CPU-s of every build, and again in
    // every toolchain JVM that opens the store). Nor did the MAC protect the file's integrity: its
    // password is public. Bouncy Castle writes the store without either; a JVM loads a store
    // without MacData whatever password it is given.
    try {
      PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(certificate);
      bag.addBagAttribute(
          PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(TRUSTSTORE_ALIAS));
      // The JDK loads a certificate without a key as a trusted entry only with this attribute.
      bag.addBagAttribute(JDK_TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage);
      PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
      pfx.addData(bag.build());
      AtomicFiles.write(file, pfx.build(null, null).getEncoded(ASN1Encoding.DER));
    } catch (PKCSException e) {
      throw new IllegalStateException("cannot write the proxy CA trust store " + file, e);
    }
  }

  /**
   * The certificate chain [leaf, root] this CA presents for {@code host}: a fresh P-256 key, the
   * CA's validity window, subjectAltName with the host as dNSName (or iPAddress for an IPv4/IPv6
   * literal), extendedKeyUsage serverAuth. Issued once per host (case-insensitive) and cached.
   *
   * @throws IllegalArgumentException if {@code host} is not a host name or IP literal
   */
  public List<X509Certificate> issue(String host) {
    return leaf(host).chain();
  }

  /**
   * A server-side TLS context presenting {@link #issue(String)} for {@code host}; cached per host.
   */
  SSLContext serverContext(String host) {
    return leaf(host).context();
  }

  private Leaf leaf(String host) {
    String normalised = Hosts.normalise(host);
    return leaves.computeIfAbsent(normalised, this::newLeaf);
  }

  private Leaf newLeaf(String host) {
    KeyPair pair = newKeyPair(random);
    boolean ip = Hosts.isIpLiteral(host);
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    if (host.length() <= MAX_CN_LENGTH) {
      name.addRDN(BCStyle.CN, host);
    }
    X500Name subject = name.build();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
              serial(random),
              time(notBefore),
              time(notAfter),
              subject,
              pair.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      // An empty subject (host too long for a CN) requires a critical subjectAltName (RFC 5280
      // 4.2.1.6).
      b.addExtension(
          Extension.subjectAlternativeName,
          subject.getRDNs().length == 0,
          new GeneralNames(
              new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host)));
      // Authority and subject key identifiers: OpenSSL's strict mode (Python 3.13+) requires them.
      b.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate leaf = sign(b, key, random);
      List<X509Certificate> chain = List.of(leaf, certificate);
      return new Leaf(chain, serverContext(pair.getPrivate(), chain));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a proxy certificate for " + host, e);
    }
  }

  private SSLContext serverContext(PrivateKey leafKey, List<X509Certificate> chain)
      throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {new LeafKeyManager(leafKey, chain)}, null, random);
    return context;
  }

  private static KeyPair newKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(CURVE), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 key generator in this JVM", e);
    }
  }

  // Positive, non-zero, at most 16 octets: within RFC 5280's 20-octet limit.
  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(120, random).add(BigInteger.ONE);
  }

  // UTCTime until 2049, GeneralizedTime after, as RFC 5280 requires; Locale.ROOT keeps digits
  // ASCII.
  private static Time time(Instant instant) {
    return new Time(Date.from(instant), Locale.ROOT);
  }

  private static X509Certificate sign(
      X509v3CertificateBuilder b, PrivateKey signer, SecureRandom random)
      throws GeneralSecurityException {
    try {
      ContentSigner contentSigner =
          new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setSecureRandom(random).build(signer);
      return new JcaX509CertificateConverter().getCertificate(b.build(contentSigner));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with " + SIGNATURE_ALGORITHM, e);
    }
  }

  @Override
  public String toString() {
    return "ProxyCa[" + certificate.getSubjectX500Principal().getName() + "]";
  }
}
