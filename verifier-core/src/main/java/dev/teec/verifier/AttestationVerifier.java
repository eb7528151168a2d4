package dev.teec.verifier;

import static dev.teec.verifier.CheckId.COSE_SIGNATURE;
import static dev.teec.verifier.CheckId.INPUT_SIZE;
import static dev.teec.verifier.CheckId.POLICY_DEBUG_MODE;
import static dev.teec.verifier.CheckId.POLICY_DOCUMENT_KIND;
import static dev.teec.verifier.CheckId.POLICY_NONCE;
import static dev.teec.verifier.CheckId.POLICY_PCRS;
import static dev.teec.verifier.CheckId.POLICY_PCR_SETS;
import static dev.teec.verifier.CheckId.POLICY_PUBLIC_KEY;
import static dev.teec.verifier.CheckId.POLICY_USER_DATA;
import static dev.teec.verifier.CheckId.TIME_FUTURE_SKEW;
import static dev.teec.verifier.CheckId.TIME_MAX_AGE;

import dev.teec.verifier.internal.CheckRecorder;
import dev.teec.verifier.internal.chain.CertificateCache;
import dev.teec.verifier.internal.chain.ChainValidator;
import dev.teec.verifier.internal.cose.CoseSign1Reader;
import dev.teec.verifier.internal.cose.CoseSignatureVerifier;
import dev.teec.verifier.internal.ecdsa.P384Key;
import dev.teec.verifier.internal.emulated.EmulatedNsm;
import dev.teec.verifier.internal.payload.PayloadReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Verifies AWS Nitro attestation documents offline.
 *
 * <p>Guarantee: a result is {@link VerificationResult#verified() verified} only if the document is
 * a strictly well-formed COSE_Sign1 with ES384, its payload has every field the AWS NSM
 * specification requires, its certificate chain ends in one of the configured trust anchors (the
 * AWS Nitro Enclaves root G1 unless replaced) with every signature, name, constraint and key usage
 * correct and every certificate valid at the verification time, its COSE signature verifies with
 * the leaf key over the bytes as received, and it satisfies the {@link Policy}. Every rule is
 * reported as a {@link Check}, also when an earlier one failed.
 *
 * <p>{@link Builder#acceptEmulated()} also accepts the unsigned documents of QEMU's emulated NSM
 * (SPEC E6), in exactly their shape and marked {@link VerificationResult#emulated()}; never by
 * default.
 *
 * <p>Instances are immutable and thread-safe; the clock and trust anchors are fixed at build time.
 * They hold a bounded cache of parsed certificates and verified certificate signatures, so reuse
 * one instance for many documents.
 *
 * <pre>{@code
 * AttestationVerifier verifier = AttestationVerifier.builder().build();
 * VerificationResult result = verifier.verify(documentBytes,
 *     VerificationOptions.builder().time(VerificationTime.document()).build());
 * VerifiedAttestation ok = result.requireVerified();
 * }</pre>
 */
public final class AttestationVerifier {
  /** Default cap on the size of a document, checked before any parsing. */
  public static final int DEFAULT_MAX_DOCUMENT_BYTES = 32 * 1024;

  /** Default cap on the number of cabundle certificates, checked before any signature. */
  public static final int DEFAULT_MAX_CABUNDLE = 8;

  /** Default number of cached certificates and verified certificate signatures. */
  public static final int DEFAULT_CACHE_ENTRIES = 1024;

  private final Clock clock;
  private final TrustAnchors anchors;
  private final int maxDocumentBytes;
  private final ChainValidator chainValidator;
  private final boolean acceptEmulated;

  private AttestationVerifier(Builder b) {
    this.clock = b.clock;
    this.anchors = b.anchors;
    this.maxDocumentBytes = b.maxDocumentBytes;
    this.chainValidator = new ChainValidator(new CertificateCache(b.cacheEntries), b.maxCabundle);
    this.acceptEmulated = b.acceptEmulated;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Does ahead of time what the first {@link #verify} of a document rooted at one of the trust
   * anchors would: parses the anchors and checks their self-signatures into this verifier's cache
   * (in a fresh JVM this also initialises the P-384 arithmetic). A caller that knows a document is
   * coming (a build client waiting for its worker) can run it on another thread meanwhile. Results
   * are the same with or without it: it checks only what verify would check, as verify would.
   */
  public void warmUp() {
    chainValidator.warmUp(anchors);
  }

  /** Verifies with {@link VerificationOptions#DEFAULT}: T = now, the default policy. */
  public VerificationResult verify(byte[] document) {
    return verify(document, VerificationOptions.DEFAULT);
  }

  /**
   * Runs every check on {@code document}. Never throws for bad input: every problem is a failed
   * check in the result.
   */
  public VerificationResult verify(byte[] document, VerificationOptions options) {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(options, "options");
    CheckRecorder rec = new CheckRecorder();
    Instant now = clock.instant();
    VerificationTime time = options.time();

    if (document.length == 0 || document.length > maxDocumentBytes) {
      rec.fail(
          INPUT_SIZE,
          "document has " + document.length + " bytes; allowed are 1.." + maxDocumentBytes,
          "1.." + maxDocumentBytes,
          String.valueOf(document.length));
      return finish(rec, time, initialInstant(time, now), null, List.of(), false);
    }
    rec.pass(INPUT_SIZE, document.length + " bytes, within the limit of " + maxDocumentBytes);

    boolean emulated = acceptEmulated && EmulatedNsm.claims(document);
    Optional<CoseSign1Reader.Envelope> envelope = CoseSign1Reader.read(document, rec, emulated);
    if (envelope.isEmpty()) {
      return finish(rec, time, initialInstant(time, now), null, List.of(), emulated);
    }
    AttestationDocument doc = PayloadReader.read(envelope.get().payload(), rec).orElse(null);
    if (doc == null) {
      return finish(rec, time, initialInstant(time, now), null, List.of(), emulated);
    }
    Instant at =
        switch (time.mode()) {
          case NOW -> now;
          case DOCUMENT -> doc.timestamp();
          case FIXED -> time.fixedInstant().orElseThrow();
        };

    if (emulated) {
      EmulatedNsm.check(doc, envelope.get().signature(), rec);
      checkFreshness(doc, now, options, rec);
      checkPolicy(doc, options.policy(), rec);
      return finish(rec, time, at, doc, List.of(), true);
    }
    ChainValidator.Outcome chain =
        chainValidator.validate(doc.certificate(), doc.cabundle(), anchors, at, rec);
    checkFreshness(doc, now, options, rec);
    if (rec.failed(CheckId.CHAIN_SIGNATURES)) {
      // The leaf key is then vouched for by nothing, so a signature made with it proves nothing;
      // skipping it also halves the cost of a hostile document.
      rec.skip(
          COSE_SIGNATURE,
          "not checked: the leaf key is not authenticated (chain.signatures failed)");
    } else {
      checkSignature(envelope.get(), chain.leafKey(), rec);
    }
    checkPolicy(doc, options.policy(), rec);
    return finish(rec, time, at, doc, chain.certificates(), false);
  }

  private static Instant initialInstant(VerificationTime time, Instant now) {
    return switch (time.mode()) {
      case NOW -> now;
      case DOCUMENT -> null;
      case FIXED -> time.fixedInstant().orElseThrow();
    };
  }

  private static VerificationResult finish(
      CheckRecorder rec,
      VerificationTime time,
      Instant at,
      AttestationDocument doc,
      List<CertificateInfo> certs,
      boolean emulated) {
    return new VerificationResult(rec.result(), at, time.mode(), doc, certs, emulated);
  }

  private static void checkFreshness(
      AttestationDocument doc, Instant now, VerificationOptions options, CheckRecorder rec) {
    Duration age = Duration.between(doc.timestamp(), now);
    Optional<Duration> maxAge = options.maxAge();
    if (maxAge.isEmpty()) {
      rec.skip(TIME_MAX_AGE, "no maximum age configured");
    } else if (age.compareTo(maxAge.get()) > 0) {
      rec.fail(
          TIME_MAX_AGE,
          "the document is " + age + " old, more than the allowed " + maxAge.get(),
          "<= " + maxAge.get(),
          age.toString());
    } else {
      rec.pass(
          TIME_MAX_AGE, "the document is " + age + " old", "<= " + maxAge.get(), age.toString());
    }
    Optional<Duration> skew = options.maxFutureSkew();
    Duration ahead = age.negated();
    if (skew.isEmpty()) {
      rec.skip(TIME_FUTURE_SKEW, "no future-skew bound configured");
    } else if (ahead.compareTo(skew.get()) > 0) {
      rec.fail(
          TIME_FUTURE_SKEW,
          "the document's timestamp is "
              + ahead
              + " in the future, more than the allowed "
              + skew.get(),
          "<= " + skew.get(),
          ahead.toString());
    } else {
      rec.pass(TIME_FUTURE_SKEW, "the document's timestamp is not too far in the future");
    }
  }

  private static void checkSignature(
      CoseSign1Reader.Envelope envelope, Optional<P384Key> leafKey, CheckRecorder rec) {
    if (leafKey.isEmpty()) {
      rec.skip(COSE_SIGNATURE, "not checked: no usable P-384 leaf key");
      return;
    }
    if (CoseSignatureVerifier.verifies(envelope, leafKey.get())) {
      rec.pass(COSE_SIGNATURE, "ES384 signature over Sig_structure verifies with the leaf key");
    } else {
      rec.fail(
          COSE_SIGNATURE, "the COSE signature does not verify with the leaf certificate's key");
    }
  }

  private static void checkPolicy(AttestationDocument doc, Policy policy, CheckRecorder rec) {
    if (doc.kind() == DocumentKind.NITRO_ENCLAVE) {
      rec.pass(POLICY_DOCUMENT_KIND, "a Nitro Enclave document (pcrs)");
    } else if (policy.allowNitroTpm()) {
      rec.warn(
          POLICY_DOCUMENT_KIND,
          "a NitroTPM document (an EC2 instance's boot measurements, not an enclave), accepted"
              + " because NitroTPM documents are allowed");
    } else {
      rec.fail(
          POLICY_DOCUMENT_KIND,
          "a NitroTPM document, not a Nitro Enclave document: its PCRs measure an EC2 instance's"
              + " boot and its user_data is chosen by that instance's root user (allow explicitly"
              + " with --allow-nitro-tpm)");
    }
    if (doc.kind() != DocumentKind.NITRO_ENCLAVE) {
      rec.skip(POLICY_DEBUG_MODE, "not applicable to NitroTPM documents");
    } else if (!doc.debugMode()) {
      rec.pass(POLICY_DEBUG_MODE, "not a debug-mode enclave (PCR0, PCR1, PCR2 are not all zero)");
    } else if (policy.allowDebug()) {
      rec.warn(
          POLICY_DEBUG_MODE,
          "debug-mode enclave (PCR0, PCR1, PCR2 all zero), accepted because debug is allowed");
    } else {
      rec.fail(
          POLICY_DEBUG_MODE,
          "debug-mode enclave: PCR0, PCR1 and PCR2 are all zero, so the document says"
              + " nothing about the code that ran (allow explicitly with --allow-debug)");
    }

    if (policy.expectedPcrs().isEmpty()) {
      rec.skip(POLICY_PCRS, "no PCR values pinned");
    } else {
      List<String> mismatches = pcrMismatches(doc, policy.expectedPcrs());
      if (mismatches.isEmpty()) {
        rec.pass(
            POLICY_PCRS, "PCRs " + policy.expectedPcrs().keySet() + " match the pinned values");
      } else {
        rec.fail(POLICY_PCRS, String.join("; ", mismatches));
      }
    }

    Optional<List<SortedMap<Integer, Bytes>>> sets = policy.allowedPcrSets();
    if (sets.isEmpty()) {
      rec.skip(POLICY_PCR_SETS, "no allowed PCR sets configured");
    } else {
      int matched = -1;
      List<String> reasons = new ArrayList<>();
      for (int i = 0; i < sets.get().size() && matched < 0; i++) {
        List<String> m = pcrMismatches(doc, sets.get().get(i));
        if (m.isEmpty()) {
          matched = i;
        } else {
          reasons.add("set " + i + ": " + String.join(", ", m));
        }
      }
      if (matched >= 0) {
        rec.pass(POLICY_PCR_SETS, "PCRs match allowed set " + matched);
      } else {
        rec.fail(
            POLICY_PCR_SETS,
            "PCRs match none of the "
                + sets.get().size()
                + " allowed sets: "
                + String.join("; ", reasons));
      }
    }
    expectExact(POLICY_USER_DATA, "user_data", policy.expectedUserData(), doc.userData(), rec);
    expectExact(POLICY_NONCE, "nonce", policy.expectedNonce(), doc.nonce(), rec);
    expectExact(POLICY_PUBLIC_KEY, "public_key", policy.expectedPublicKey(), doc.publicKey(), rec);
  }

  private static List<String> pcrMismatches(AttestationDocument doc, Map<Integer, Bytes> expected) {
    List<String> out = new ArrayList<>();
    expected.forEach(
        (index, value) -> {
          Optional<Bytes> actual = doc.pcr(index);
          if (actual.isEmpty()) {
            out.add("PCR" + index + " is pinned but absent from the document");
          } else if (!actual.get().equals(value)) {
            out.add("PCR" + index + " expected " + value.hex() + " but is " + actual.get().hex());
          }
        });
    return out;
  }

  private static void expectExact(
      CheckId id,
      String field,
      Optional<Bytes> expected,
      Optional<Bytes> actual,
      CheckRecorder rec) {
    if (expected.isEmpty()) {
      rec.skip(id, "no expected " + field + " configured");
      return;
    }
    String actualHex = actual.map(Bytes::hex).orElse("absent");
    if (actual.isPresent() && actual.get().constantTimeEquals(expected.get())) {
      rec.pass(id, field + " matches the expected value", expected.get().hex(), actualHex);
    } else {
      rec.fail(id, field + " does not match the expected value", expected.get().hex(), actualHex);
    }
  }

  /** Builder for {@link AttestationVerifier}; strict defaults. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private TrustAnchors anchors;
    private int maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;
    private int maxCabundle = DEFAULT_MAX_CABUNDLE;
    private int cacheEntries = DEFAULT_CACHE_ENTRIES;
    private boolean acceptEmulated;

    private Builder() {}

    /** The clock that defines "now" (for T = now and for freshness). Default: system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Replaces the pinned AWS root with exactly these anchors. */
    public Builder trustAnchors(TrustAnchors anchors) {
      this.anchors = Objects.requireNonNull(anchors, "anchors");
      return this;
    }

    /**
     * Also accepts documents of QEMU's emulated NSM (SPEC E6): unsigned, so anyone can write one.
     * Widens trust to whoever runs the verifier's input through an emulator; for development and
     * tests of the enclave path without Nitro hardware only. Such results are {@link
     * VerificationResult#emulated()}.
     */
    public Builder acceptEmulated() {
      this.acceptEmulated = true;
      return this;
    }

    public Builder maxDocumentBytes(int max) {
      this.maxDocumentBytes = positive(max, "maxDocumentBytes");
      return this;
    }

    public Builder maxCabundle(int max) {
      this.maxCabundle = positive(max, "maxCabundle");
      return this;
    }

    /** Entries in the certificate cache; 0 disables caching. */
    public Builder cacheEntries(int entries) {
      if (entries < 0) {
        throw new IllegalArgumentException("cacheEntries must not be negative: " + entries);
      }
      this.cacheEntries = entries;
      return this;
    }

    public AttestationVerifier build() {
      if (anchors == null) {
        anchors = TrustAnchors.awsNitroEnclavesRootG1();
      }
      return new AttestationVerifier(this);
    }

    private static int positive(int v, String name) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + v);
      }
      return v;
    }
  }
}
