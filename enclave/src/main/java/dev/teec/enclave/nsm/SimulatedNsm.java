package dev.teec.enclave.nsm;

import dev.teec.digest.Digests;
import dev.teec.generator.CertRole;
import dev.teec.generator.CertificateProfile;
import dev.teec.generator.DeterministicKey;
import dev.teec.generator.DocumentSigner;
import dev.teec.generator.DocumentSpec;
import dev.teec.generator.KeyType;
import dev.teec.generator.SimulatedChain;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * A stand-in for the Nitro Security Module outside an enclave: it signs attestation documents in
 * the genuine AWS format (untagged COSE_Sign1, ES384, the payload keys in NSM order, sixteen
 * 48-byte PCRs, null for absent optional fields) under a four-level AWS-shaped chain whose root is
 * simulated and kept in the user's teec home ({@link TeecHome}). Nothing trusts that root unless a
 * verifier is given {@link #rootCertificate()} or {@link #simulatedRootPem()} explicitly.
 *
 * <p>The root is created on first use from a random secret seed stored in {@code
 * <home>/simulated-nsm/seed} (mode 0600, directory 0700) and persisted as {@code root.pem}; it has
 * a fixed validity, so it stays byte-identical across runs and days. Each instance is one simulated
 * enclave boot: a fresh random session gives it its own intermediate and leaf keys and its module
 * id ({@code sim-i-<17 hex>-enc<16 hex>}). Each {@link #attest} issues the intermediates and the
 * leaf anew around the clock's current time (the leaf valid from 100 minutes before to about 80
 * minutes after, like an AWS leaf). PCRs come from the {@link WorkerIdentity}. SPEC.md W4 has the
 * details.
 *
 * <p>Thread-safe: all state is fixed at {@link #open}.
 */
public final class SimulatedNsm implements Nsm {
  /** The subdirectory of the teec home holding the simulated root. */
  public static final String DIRECTORY = "simulated-nsm";

  /** Start of the simulated root's validity, the same for every user and every run. */
  public static final Instant ROOT_NOT_BEFORE = Instant.parse("2020-01-01T00:00:00Z");

  /** End of the simulated root's validity: 30 years and an hour, like the AWS root. */
  public static final Instant ROOT_NOT_AFTER = Instant.parse("2050-01-01T01:00:00Z");

  /** Derivation domain; the seed's hex follows it in the generator's seed string. */
  private static final String DOMAIN = "teec-simulated-nsm/v1/";

  // The regional CA starts 32 hours before the attestation and lives 20 days and an hour, so these
  // margins keep the whole issued chain inside the root's validity.
  private static final Duration BEFORE_MARGIN = Duration.ofHours(32);
  private static final Duration AFTER_MARGIN = Duration.ofDays(20);

  private static final X500Name ROOT_NAME =
      new X500NameBuilder(BCStyle.INSTANCE)
          .addRDN(BCStyle.C, "US")
          .addRDN(BCStyle.O, "teec")
          .addRDN(BCStyle.OU, "simulated NSM")
          .addRDN(BCStyle.CN, "teec-simulated-nsm-root")
          .build();

  private final Path directory;
  private final Clock clock;
  private final Map<Integer, byte[]> pcrs;
  private final byte[] rootDer;
  private final String chainSeed;
  private final String moduleId;
  private final Map<CertRole, DeterministicKey> keys;
  private final Consumer<CertificateProfile.Builder> rootProfile;
  private final X500Name leafName;

  private SimulatedNsm(
      Path directory,
      Clock clock,
      WorkerIdentity identity,
      Root simulatedRoot,
      SimulatedChain probe,
      String moduleId,
      byte[] rootDer) {
    this.directory = directory;
    this.clock = clock;
    this.pcrs = identity.pcrs();
    this.chainSeed = probe.seed();
    // The probe derived every key of this session already (from the chain seed and each role's
    // label): deriving them again would cost four P-384 multiplications at every start.
    this.keys = new EnumMap<>(CertRole.class);
    for (CertRole role : CertRole.values()) {
      keys.put(role, probe.key(role));
    }
    this.rootProfile = simulatedRoot.profile;
    this.moduleId = moduleId;
    this.leafName =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, "US")
            .addRDN(BCStyle.ST, "Simulated")
            .addRDN(BCStyle.L, "Simulated")
            .addRDN(BCStyle.O, "teec")
            .addRDN(BCStyle.OU, "simulated NSM")
            .addRDN(BCStyle.CN, moduleId + ".simulated.teec")
            .build();
    this.rootDer = rootDer;
  }

  /**
   * Opens the simulated NSM kept under {@code teecHome}, creating {@code teecHome/simulated-nsm}
   * with a new secret seed and root on first use.
   *
   * @param teecHome the teec home, normally {@link TeecHome#resolve}
   * @param clock the source of document timestamps and certificate validity
   * @param identity what the PCRs measure
   * @throws NsmException if the directory cannot be created or read, the seed is malformed or
   *     readable by others, or {@code root.pem} does not belong to the seed
   */
  public static SimulatedNsm open(Path teecHome, Clock clock, WorkerIdentity identity)
      throws NsmException {
    Objects.requireNonNull(teecHome, "teecHome");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(identity, "identity");
    SecureRandom random = new SecureRandom();
    SimulatedNsmFiles files = new SimulatedNsmFiles(teecHome.resolve(DIRECTORY));
    Root simulatedRoot = Root.derive(files.loadOrCreateSeed(random));
    byte[] session = new byte[8];
    random.nextBytes(session);
    String chainSeed = simulatedRoot.seedString + "/session/" + HexFormat.of().formatHex(session);
    // The root's bytes depend only on its key and profile, not on the chain's seed or base.
    SimulatedChain probe =
        SimulatedChain.builder(chainSeed, ROOT_NOT_BEFORE.plus(BEFORE_MARGIN))
            .key(CertRole.ROOT, simulatedRoot.key)
            .customize(CertRole.ROOT, simulatedRoot.profile)
            .build();
    byte[] rootDer =
        files.loadOrCreateRoot(probe.certificate(CertRole.ROOT), SimulatedNsm::sameIssuerIdentity);
    return new SimulatedNsm(
        files.directory(),
        clock,
        identity,
        simulatedRoot,
        probe,
        "sim-" + probe.moduleId(),
        rootDer);
  }

  @Override
  public byte[] attest(AttestationRequest request) throws NsmException {
    // The request goes through the wire encoding, so the simulation applies the device's limits.
    return sign(NsmCodec.decodeAttestationRequest(NsmCodec.encodeAttestationRequest(request)));
  }

  /**
   * Answers one raw NSM request as the device would: the CBOR response for the CBOR request, an
   * Error response ({@code InvalidArgument}, {@code InputTooLarge}, {@code InvalidOperation} or
   * {@code InternalError}) when the request cannot be served. Lets a fake {@code /dev/nsm} be built
   * on this class.
   */
  public byte[] process(byte[] rawRequest) {
    try {
      return NsmCodec.encodeAttestationResponse(
          sign(NsmCodec.decodeAttestationRequest(rawRequest)));
    } catch (NsmException e) {
      return NsmCodec.encodeErrorResponse(e.errorCode().orElse(NsmErrorCode.INTERNAL_ERROR));
    }
  }

  @Override
  public String describe() {
    return "simulated (root sha256 " + Digests.sha256Hex(rootDer) + ", " + directory + ")";
  }

  /** The simulated root in PEM, to give a verifier explicitly as its trust anchor. */
  public String simulatedRootPem() {
    return SimulatedChain.pem(rootDer);
  }

  /** The simulated root certificate (the DER of {@code root.pem}), for {@code TrustAnchors.of}. */
  public X509Certificate rootCertificate() {
    return parse(rootDer);
  }

  /** The module id every document of this instance carries: {@code sim-i-<17 hex>-enc<16 hex>}. */
  public String moduleId() {
    return moduleId;
  }

  /**
   * The PCRs every document of this instance carries, by index 0..15; arrays are copies. The same
   * map is what {@link #attest} signs, so no document is needed to learn them.
   */
  @Override
  public Map<Integer, byte[]> pcrs() {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    pcrs.forEach((i, v) -> out.put(i, v.clone()));
    return Collections.unmodifiableMap(out);
  }

  /** The directory holding the seed and {@code root.pem}. */
  public Path directory() {
    return directory;
  }

  private byte[] sign(AttestationRequest request) throws NsmException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    if (now.isBefore(ROOT_NOT_BEFORE.plus(BEFORE_MARGIN))
        || now.isAfter(ROOT_NOT_AFTER.minus(AFTER_MARGIN))) {
      throw new NsmException(
          "the clock says "
              + now
              + ", outside the simulated root's usable window "
              + ROOT_NOT_BEFORE.plus(BEFORE_MARGIN)
              + " .. "
              + ROOT_NOT_AFTER.minus(AFTER_MARGIN),
          NsmErrorCode.INTERNAL_ERROR,
          null);
    }
    SimulatedChain.Builder builder =
        SimulatedChain.builder(chainSeed, now)
            .customize(CertRole.ROOT, rootProfile)
            .customize(CertRole.LEAF, p -> p.subject(leafName));
    keys.forEach(builder::key);
    SimulatedChain chain = builder.build();
    List<byte[]> cabundle = new ArrayList<>(chain.cabundle());
    // The persisted root, so that the anchor a verifier pinned stays valid byte for byte.
    cabundle.set(0, rootDer.clone());
    DocumentSpec spec =
        DocumentSpec.builder(moduleId, now, pcrs)
            .publicKey(request.publicKey())
            .userData(request.userData())
            .nonce(request.nonce())
            .build();
    return DocumentSigner.signEnvelope(spec, chain.leafCertificate(), cabundle, chain.leafKey())
        .encode();
  }

  /**
   * True when both certificates have the same subject and public key, so either can be the anchor.
   */
  private static boolean sameIssuerIdentity(byte[] a, byte[] b) {
    X509Certificate x = parse(a);
    X509Certificate y = parse(b);
    return x.getSubjectX500Principal().equals(y.getSubjectX500Principal())
        && Arrays.equals(x.getPublicKey().getEncoded(), y.getPublicKey().getEncoded());
  }

  static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a DER X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** The root's key and profile changes, derived from the secret seed. */
  private record Root(
      String seedString, DeterministicKey key, Consumer<CertificateProfile.Builder> profile) {
    static Root derive(String seedHex) {
      String seedString = DOMAIN + seedHex;
      DeterministicKey key =
          DeterministicKey.derive(seedString, CertRole.ROOT.label(), KeyType.P384);
      BigInteger serial = serial(seedString);
      return new Root(
          seedString,
          key,
          p ->
              p.subject(ROOT_NAME)
                  .serial(serial)
                  .notBefore(ROOT_NOT_BEFORE)
                  .notAfter(ROOT_NOT_AFTER));
    }

    /**
     * 16 bytes of SHA-384("teec-simulated-nsm/v1/<seed hex>/root-serial"), as a positive number.
     */
    private static BigInteger serial(String seedString) {
      byte[] b =
          Arrays.copyOf(
              Digests.sha384()
                  .digest((seedString + "/root-serial").getBytes(StandardCharsets.UTF_8)),
              16);
      // First byte in 0x01..0x7f: positive, and exactly 16 octets in DER.
      b[0] = (byte) ((b[0] & 0x7f) | 0x01);
      return new BigInteger(1, b);
    }
  }
}
