package dev.teec.vectors;

import dev.teec.generator.CborWriter;
import dev.teec.generator.CertRole;
import dev.teec.generator.CoseSign1;
import dev.teec.generator.Derive;
import dev.teec.generator.DeterministicKey;
import dev.teec.generator.DocumentSigner;
import dev.teec.generator.DocumentSpec;
import dev.teec.generator.KeyType;
import dev.teec.generator.SignatureAlgorithm;
import dev.teec.generator.SimulatedChain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The catalogue of named scenarios: valid documents in every shape real ones take, and one document
 * per rule a verifier must enforce, each broken in exactly that rule (so the expected failure is
 * the first the verifier reports). Everything derives from a seed and a base instant.
 */
public final class Scenarios {
  /** The seed of the committed vectors. */
  public static final String DEFAULT_SEED = "teec-test-vectors-v1";

  /** The base instant of the committed vectors: when their chains are valid and documents made. */
  public static final Instant DEFAULT_BASE = Instant.parse("2025-06-01T12:00:00.417Z");

  private static final byte[] USER_DATA =
      "teec test: user data bound into the document".getBytes(StandardCharsets.UTF_8);
  private static final List<String> NSM_KEY_ORDER =
      List.of(
          "module_id",
          "digest",
          "timestamp",
          "pcrs",
          "certificate",
          "cabundle",
          "public_key",
          "user_data",
          "nonce");
  private static final int PCR_BYTES = 48;

  /** An extension OID in the UUID arc (X.667), which needs no registration and means nothing. */
  private static final ASN1ObjectIdentifier UNKNOWN_EXTENSION =
      new ASN1ObjectIdentifier("2.25.329800735698586629295641978511506172918");

  private final String seed;
  private final Instant base;
  private final SimulatedChain chain;
  private final Map<Integer, byte[]> pcrs;
  private final byte[] nonce;
  private final byte[] publicKey;
  private final List<Scenario> out = new ArrayList<>();

  private Scenarios(String seed, Instant base) {
    this.seed = seed;
    this.base = base;
    this.chain = SimulatedChain.generate(seed, base);
    this.pcrs = pcrs(16);
    this.nonce = Derive.bytes(32, "nonce", seed);
    try {
      // Real documents often carry a DER public key the enclave wants bound to its identity.
      this.publicKey =
          DeterministicKey.derive(seed, "enclave-public-key", KeyType.P384)
              .subjectPublicKeyInfo()
              .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a derived public key", e);
    }
  }

  /** Every scenario for this seed and base instant, in catalogue order; names are unique. */
  public static List<Scenario> all(String seed, Instant base) {
    Scenarios s = new Scenarios(seed, base);
    s.valid();
    s.envelope();
    s.payload();
    s.chain();
    s.time();
    s.signature();
    s.policy();
    return List.copyOf(s.out);
  }

  private void valid() {
    scenario(
            "valid-document",
            "A well-formed document as the AWS NSM makes it, signed by a simulated AWS-shaped chain.",
            sign(spec()))
        .verifies();
    scenario(
            "valid-policy-match",
            "A document with public_key, user_data and nonce, checked against a policy that"
                + " pins PCR0-2, allows PCR sets, and expects exactly these user_data, nonce and public_key values.",
            sign(spec().publicKey(publicKey)))
        .policy(
            Map.of(
                "pcrs", hexMap(0, pcrs.get(0), 1, pcrs.get(1), 2, pcrs.get(2)),
                "allowedPcrSets",
                    List.of(hexMap(3, other("pcr3")), hexMap(4, pcrs.get(4), 8, pcrs.get(8))),
                "userData", hex(USER_DATA),
                "nonce", hex(nonce),
                "publicKey", hex(publicKey)))
        .verifies();
    scenario(
            "valid-indefinite-payload-map",
            "The payload map has indefinite length (0xbf ... 0xff), as NSM documents"
                + " have since 2025; strict decoders must still accept it.",
            sign(spec().indefiniteLengthMap()))
        .verifies();
    List<String> reversed = new ArrayList<>(NSM_KEY_ORDER);
    Collections.reverse(reversed);
    Map<Integer, byte[]> descending = new LinkedHashMap<>();
    for (int i = 15; i >= 0; i--) {
      descending.put(i, pcrs.get(i));
    }
    scenario(
            "valid-noncanonical-key-order",
            "Payload keys in reverse NSM order and PCRs in descending index order;"
                + " CBOR map order carries no meaning, so the document verifies.",
            sign(spec().keyOrder(reversed).pcrs(descending)))
        .verifies();
    scenario(
            "valid-tag18",
            "The COSE_Sign1 array is wrapped in tag 18, its registered tag; the untagged and tagged"
                + " forms are both valid.",
            envelope(spec()).withTags(18).encode())
        .verifies();
    scenario(
            "valid-debug-allowed",
            "A debug-mode enclave (PCR0, PCR1, PCR2 all zero) accepted by a policy with"
                + " allowDebug; the verdict is verified with a warning.",
            sign(spec().pcrs(debugPcrs())))
        .policy(Map.of("allowDebug", true))
        .verifies("policy.debug_mode");
    scenario(
            "unknown-payload-key",
            "The payload has a key outside the AWS specification; it is ignored and reported"
                + " as a warning.",
            sign(
                spec()
                    .extraEntry(
                        "teec_test_extension", CborWriter.text("not in the AWS specification"))))
        .verifies("payload.unknown_keys");
    scenario(
            "nitrotpm-document",
            "A NitroTPM attestation document: 24 PCRs under nitrotpm_pcrs instead of pcrs."
                + " It is recognised as NITRO_TPM and accepted by a policy with allowNitroTpm,"
                + " with a warning naming the kind; the enclave debug-mode rule does not apply.",
            sign(spec().nitroTpm().pcrs(pcrs(24))))
        .policy(Map.of("allowNitroTpm", true))
        .verifiesAs("NITRO_TPM", "policy.document_kind");
    scenario(
            "nitrotpm-document-not-allowed",
            "The NitroTPM document of nitrotpm-document under the default policy: an EC2"
                + " instance's boot measurements are not an enclave's, so it is rejected.",
            sign(spec().nitroTpm().pcrs(pcrs(24))))
        .fails("policy.document_kind");
    scenario(
            "valid-empty-optional-fields",
            "public_key, user_data and nonce are empty byte strings, as real documents have them"
                + " (a 2021 AWS document has an empty public_key): present, and empty.",
            sign(spec().publicKey(new byte[0]).userData(new byte[0]).nonce(new byte[0])))
        .verifies();
    scenario(
            "valid-max-size-fields",
            "public_key, user_data and nonce are each 1024 bytes, the largest the AWS"
                + " specification allows.",
            sign(
                spec()
                    .publicKey(Derive.bytes(1024, "max", "public_key", seed))
                    .userData(Derive.bytes(1024, "max", "user_data", seed))
                    .nonce(Derive.bytes(1024, "max", "nonce", seed))))
        .verifies();
  }

  private void envelope() {
    CoseSign1 env = envelope(spec());
    byte[] padded =
        env.withUnprotectedHeader(
                CborWriter.map(
                    CborWriter.entry("teec_padding", CborWriter.bytes(new byte[33 * 1024]))))
            .encode();
    scenario(
            "oversized-document",
            "A correctly signed document padded past 32 KiB (in the unprotected header);"
                + " it must be refused before any parsing.",
            padded)
        .fails("input.size");
    scenario(
            "trailing-bytes",
            "One 0x00 byte follows the COSE_Sign1 item; a document is exactly one CBOR item.",
            env.withTrailingBytes(new byte[] {0}).encode())
        .fails("cbor.well_formed");
    scenario(
            "duplicate-map-key-outer",
            "The unprotected header map has key 4 (kid) twice; duplicate keys make"
                + " the CBOR invalid, whatever map they are in.",
            env.withUnprotectedHeader(
                    CborWriter.map(
                        CborWriter.entry(4, CborWriter.bytes(new byte[] {1})),
                        CborWriter.entry(4, CborWriter.bytes(new byte[] {2}))))
                .encode())
        .fails("cbor.well_formed");
    scenario(
            "tag-other-than-18",
            "The COSE_Sign1 array is wrapped in tag 98 (COSE_Sign) instead of 18.",
            env.withTags(98).encode())
        .fails("cbor.tags");
    scenario(
            "nested-tag",
            "The COSE_Sign1 array is wrapped in tag 18 twice.",
            env.withTags(18, 18).encode())
        .fails("cbor.tags");
    scenario(
            "tag-in-unprotected-header",
            "The unprotected header holds a tagged value (tag 1); no tag may appear"
                + " inside the envelope.",
            env.withUnprotectedHeader(
                    CborWriter.map(
                        CborWriter.entry(
                            "teec_time",
                            CborWriter.tagged(1, CborWriter.integer(base.getEpochSecond())))))
                .encode())
        .fails("cbor.tags");
    scenario(
            "cose-array-of-three",
            "The COSE_Sign1 array lacks its signature: [protected, unprotected, payload].",
            CborWriter.array(
                    CborWriter.bytes(env.protectedHeader()),
                    CborWriter.map(),
                    CborWriter.bytes(env.payload()))
                .encode())
        .fails("cose.structure");
    scenario(
            "wrong-alg-es256",
            "The protected header says alg -7 (ES256) instead of -35 (ES384); the document is"
                + " otherwise signed correctly over that header.",
            sign(
                spec()
                    .protectedHeader(CborWriter.map(CborWriter.entry(1, CborWriter.integer(-7))))))
        .fails("cose.algorithm");
    scenario(
            "duplicate-map-key-protected",
            "The protected header map has alg (1: -35) twice.",
            sign(
                spec()
                    .protectedHeader(
                        CborWriter.map(
                            CborWriter.entry(1, CborWriter.integer(-35)),
                            CborWriter.entry(1, CborWriter.integer(-35))))))
        .fails("cose.algorithm");
    scenario(
            "unprotected-not-map",
            "The unprotected header is an empty array instead of a map.",
            env.withUnprotectedHeader(CborWriter.array()).encode())
        .fails("cose.unprotected");
    scenario(
            "payload-too-large",
            "The payload is larger than 16 KiB (an unknown key holds 16 KiB), while the"
                + " document stays under 32 KiB.",
            sign(spec().extraEntry("teec_padding", CborWriter.bytes(new byte[16 * 1024]))))
        .fails("cose.payload");
    byte[] protectedItem = CborWriter.bytes(env.protectedHeader()).encode();
    byte[] unprotectedItem = CborWriter.map().encode();
    byte[] payloadItem = CborWriter.bytes(env.payload()).encode();
    byte[] signatureItem = CborWriter.bytes(env.signature()).encode();
    scenario(
            "indefinite-outer-array",
            "The COSE_Sign1 array uses indefinite length (0x9f ... 0xff); only the"
                + " payload map may be indefinite, as in NSM documents from 2025 on.",
            concat(
                new byte[] {(byte) 0x9f},
                protectedItem,
                unprotectedItem,
                payloadItem,
                signatureItem,
                new byte[] {(byte) 0xff}))
        .fails("cbor.well_formed");
    int half = env.payload().length / 2;
    scenario(
            "chunked-payload-bytes",
            "The payload byte string is sent as two indefinite-length chunks"
                + " (0x5f ... 0xff); real documents never chunk, so a verifier need not reassemble.",
            concat(
                new byte[] {(byte) 0x84},
                protectedItem,
                unprotectedItem,
                new byte[] {0x5f},
                CborWriter.bytes(Arrays.copyOfRange(env.payload(), 0, half)).encode(),
                CborWriter.bytes(Arrays.copyOfRange(env.payload(), half, env.payload().length))
                    .encode(),
                new byte[] {(byte) 0xff},
                signatureItem))
        .fails("cbor.well_formed");
    scenario(
            "non-shortest-array-head",
            "The COSE_Sign1 array head is 0x98 0x04 instead of 0x84: the same"
                + " length in a longer form, which strict decoding refuses.",
            concat(
                new byte[] {(byte) 0x98, 0x04},
                protectedItem,
                unprotectedItem,
                payloadItem,
                signatureItem))
        .fails("cbor.well_formed");
    scenario(
            "crit-header-unknown-label",
            "The protected header marks label 99 as critical (crit, label 2);"
                + " RFC 9052 requires rejecting critical headers the verifier does not process.",
            sign(
                spec()
                    .protectedHeader(
                        CborWriter.map(
                            CborWriter.entry(1, CborWriter.integer(-35)),
                            CborWriter.entry(2, CborWriter.array(CborWriter.integer(99))),
                            CborWriter.entry(99, CborWriter.integer(1))))))
        .fails("cose.algorithm");
    scenario(
            "signature-95-bytes",
            "The signature is cut to 95 bytes; ES384 signatures are exactly 96 (r||s).",
            env.withSignature(Arrays.copyOf(env.signature(), 95)).encode())
        .fails("cose.signature_length");
  }

  private void payload() {
    scenario(
            "duplicate-map-key-payload",
            "The payload map has module_id twice with different values, so readers"
                + " could disagree on which one counts.",
            sign(
                spec()
                    .extraEntry(
                        "module_id", CborWriter.text("i-00000000000000000-enc0000000000000000"))))
        .fails("payload.map");
    scenario(
            "payload-trailing-bytes",
            "One 0x00 byte follows the payload map inside the payload byte string.",
            sign(spec().trailingBytes(new byte[] {0})))
        .fails("payload.map");
    scenario(
            "tag-in-payload",
            "The timestamp is wrapped in tag 1 (epoch time); the payload may hold no tags.",
            sign(
                spec()
                    .omit("timestamp")
                    .keyOrder(NSM_KEY_ORDER)
                    .extraEntry(
                        "timestamp",
                        CborWriter.tagged(1, CborWriter.integer(base.toEpochMilli())))))
        .fails("payload.map");
    scenario(
            "both-pcrs-and-nitrotpm-pcrs",
            "The payload has both pcrs and nitrotpm_pcrs, so it is neither an"
                + " enclave nor a NitroTPM document.",
            sign(spec().extraEntry("nitrotpm_pcrs", pcrItem(pcrs))))
        .fails("payload.kind");
    scenario(
            "null-module-id",
            "module_id is CBOR null; it is mandatory.",
            sign(spec().moduleId(null)))
        .fails("payload.module_id");
    scenario(
            "missing-digest",
            "The digest key is absent; it is mandatory.",
            sign(spec().omit("digest")))
        .fails("payload.digest");
    scenario(
            "digest-sha256",
            "digest is \"SHA256\"; AWS documents always say \"SHA384\".",
            sign(spec().digest("SHA256")))
        .fails("payload.digest");
    scenario(
            "timestamp-zero",
            "timestamp is 0; it must be a positive number of milliseconds.",
            sign(spec().timestamp(Instant.EPOCH)))
        .fails("payload.timestamp");
    scenario("null-mandatory-pcrs", "pcrs is CBOR null; it is mandatory.", sign(spec().pcrs(null)))
        .fails("payload.pcrs");
    Map<Integer, byte[]> index32 = new LinkedHashMap<>(pcrs);
    index32.put(32, other("pcr32"));
    scenario(
            "pcr-index-32",
            "The PCR map has index 32; indexes are 0..31.",
            sign(spec().pcrs(index32)))
        .fails("payload.pcrs");
    Map<Integer, byte[]> shortPcr = new LinkedHashMap<>(pcrs);
    shortPcr.put(5, new byte[PCR_BYTES - 1]);
    scenario(
            "pcr-bad-length",
            "PCR5 is 47 bytes; PCR values are 32, 48 or 64 bytes.",
            sign(spec().pcrs(shortPcr)))
        .fails("payload.pcrs");
    scenario(
            "null-certificate",
            "certificate is CBOR null; it is mandatory.",
            sign(
                spec()
                    .omit("certificate")
                    .keyOrder(NSM_KEY_ORDER)
                    .extraEntry("certificate", CborWriter.nul())))
        .fails("payload.certificate");
    scenario(
            "empty-cabundle",
            "cabundle is an empty array; it must hold at least the root.",
            DocumentSigner.signEnvelope(
                    spec().build(), chain.leafCertificate(), List.of(), chain.leafKey())
                .encode())
        .fails("payload.cabundle");
    scenario(
            "oversized-user-data",
            "user_data is 1025 bytes; the limit is 1024.",
            sign(spec().userData(Derive.bytes(1025, "oversized", seed))))
        .fails("payload.user_data");
    scenario(
            "oversized-public-key",
            "public_key is 1025 bytes; the limit is 1024.",
            sign(spec().publicKey(Derive.bytes(1025, "oversized", seed))))
        .fails("payload.public_key");
    scenario(
            "oversized-nonce",
            "nonce is 1025 bytes; the limit is 1024.",
            sign(spec().nonce(Derive.bytes(1025, "oversized", seed))))
        .fails("payload.nonce");
  }

  private void chain() {
    List<byte[]> longBundle = new ArrayList<>(chain.cabundle());
    while (longBundle.size() <= 8) {
      longBundle.add(chain.certificate(CertRole.INSTANCE));
    }
    scenario(
            "too-long-chain",
            "cabundle has 9 certificates (the instance CA repeated), more than the verifier's"
                + " default cap of 8; it must be refused before any signature is checked.",
            DocumentSigner.signEnvelope(
                    spec().build(), chain.leafCertificate(), longBundle, chain.leafKey())
                .encode())
        .fails("chain.length");
    byte[] leaf = chain.leafCertificate();
    scenario(
            "truncated-leaf-certificate",
            "The leaf certificate's DER lacks its last byte.",
            DocumentSigner.signEnvelope(
                    spec().build(),
                    Arrays.copyOf(leaf, leaf.length - 1),
                    chain.cabundle(),
                    chain.leafKey())
                .encode())
        .fails("chain.parse");
    SimulatedChain impostor =
        SimulatedChain.builder(seed, base)
            .key(CertRole.ROOT, DeterministicKey.derive(seed, "impostor-root", KeyType.P384))
            .build();
    scenario(
            "wrong-root",
            "The chain is complete and consistent but ends in another root with the same name as"
                + " the trusted one (a different key).",
            sign(impostor, spec()))
        .fails("chain.root_pinned");
    SimulatedChain reissued =
        SimulatedChain.builder(seed, base)
            .customize(
                CertRole.ROOT,
                p ->
                    p.serial(new BigInteger(1, Derive.bytes(16, "serial", seed, "reissued-root")))
                        .notBefore(base.minus(Duration.ofDays(300))))
            .build();
    scenario(
            "cabundle-root-not-pinned",
            "cabundle[0] is a re-issued root with the trusted root's key and name, so"
                + " every signature verifies, but it is not the pinned certificate (other serial and validity).",
            sign(reissued, spec()))
        .fails("chain.root_pinned");
    scenario(
            "issuer-name-mismatch",
            "The leaf is signed by the instance CA's key but names another issuer.",
            sign(
                variant()
                    .customize(
                        CertRole.LEAF,
                        p -> p.issuer(new X500Name("C=US,O=teec test,CN=teec-test-other-ca")))
                    .build(),
                spec()))
        .fails("chain.names");
    scenario(
            "p256-leaf",
            "The leaf's key is on P-256, not P-384 (the document is signed by an unrelated P-384"
                + " key, so only the key type is wrong).",
            standIn(
                variant()
                    .key(CertRole.LEAF, DeterministicKey.derive(seed, "leaf", KeyType.P256))
                    .build()))
        .fails("chain.algorithms");
    scenario(
            "rsa-leaf",
            "The leaf's key is RSA-2048, not EC P-384 (the document is signed by an unrelated P-384"
                + " key, so only the key type is wrong).",
            standIn(
                variant()
                    .key(CertRole.LEAF, DeterministicKey.derive(seed, "leaf", KeyType.RSA2048))
                    .build()))
        .fails("chain.algorithms");
    scenario(
            "sha256-signed-certificate",
            "The leaf certificate is signed with ecdsa-with-SHA256 instead of"
                + " ecdsa-with-SHA384.",
            sign(
                variant()
                    .customize(
                        CertRole.LEAF, p -> p.signatureAlgorithm(SignatureAlgorithm.ECDSA_SHA256))
                    .build(),
                spec()))
        .fails("chain.algorithms");
    scenario(
            "non-ca-intermediate",
            "The zonal CA (cabundle[2]) has basicConstraints cA false yet issues the"
                + " instance CA.",
            sign(
                variant()
                    .customize(
                        CertRole.ZONAL,
                        p ->
                            p.extension(
                                Extension.basicConstraints, true, new BasicConstraints(false)))
                    .build(),
                spec()))
        .fails("chain.basic_constraints");
    scenario(
            "leaf-is-ca",
            "The leaf has basicConstraints cA true.",
            sign(
                variant()
                    .customize(
                        CertRole.LEAF,
                        p ->
                            p.extension(
                                Extension.basicConstraints, true, new BasicConstraints(true)))
                    .build(),
                spec()))
        .fails("chain.basic_constraints");
    scenario(
            "pathlen-exceeded",
            "The zonal CA (cabundle[2]) has pathLen 0 but the instance CA below it is a CA.",
            sign(
                variant()
                    .customize(
                        CertRole.ZONAL,
                        p -> p.extension(Extension.basicConstraints, true, new BasicConstraints(0)))
                    .build(),
                spec()))
        .fails("chain.path_length");
    scenario(
            "leaf-without-digitalsignature",
            "The leaf's keyUsage is nonRepudiation only, without the"
                + " digitalSignature the document signature needs.",
            sign(
                variant()
                    .customize(
                        CertRole.LEAF,
                        p ->
                            p.extension(
                                Extension.keyUsage, false, new KeyUsage(KeyUsage.nonRepudiation)))
                    .build(),
                spec()))
        .fails("chain.key_usage");
    scenario(
            "ca-without-keycertsign",
            "The instance CA (cabundle[3]) has keyUsage digitalSignature and cRLSign"
                + " but not keyCertSign, yet signs the leaf.",
            sign(
                variant()
                    .customize(
                        CertRole.INSTANCE,
                        p ->
                            p.extension(
                                Extension.keyUsage,
                                true,
                                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign)))
                    .build(),
                spec()))
        .fails("chain.key_usage");
    scenario(
            "unknown-critical-extension",
            "The leaf has a critical extension with an OID no verifier knows"
                + " (2.25 arc); RFC 5280 says such a certificate must be rejected.",
            sign(
                variant()
                    .customize(
                        CertRole.LEAF,
                        p -> p.extension(UNKNOWN_EXTENSION, true, new DERUTF8String("teec test")))
                    .build(),
                spec()))
        .fails("chain.critical_extensions");
    scenario(
            "bad-intermediate-signature",
            "The zonal CA (cabundle[2]) is signed by a key that is not the"
                + " regional CA's; names and key identifiers still claim the regional CA.",
            sign(
                variant()
                    .signingKey(
                        CertRole.ZONAL,
                        DeterministicKey.derive(seed, "not-the-regional-ca", KeyType.P384))
                    .build(),
                spec()))
        .fails("chain.signatures");
    scenario(
            "expired-intermediate-at-T",
            "The instance CA (cabundle[3]) expired one minute before T, while the"
                + " leaf and the other CAs are valid at T.",
            sign(
                variant()
                    .customize(
                        CertRole.INSTANCE, p -> p.notAfter(base.minus(Duration.ofMinutes(1))))
                    .build(),
                spec()))
        .fails("chain.validity");
    scenario(
            "not-yet-valid-leaf",
            "The leaf becomes valid five minutes after T (the document's own timestamp).",
            sign(
                variant()
                    .customize(
                        CertRole.LEAF,
                        p ->
                            p.notBefore(base.plus(Duration.ofMinutes(5)))
                                .notAfter(
                                    base.plus(Duration.ofMinutes(5)).plus(Duration.ofHours(3))))
                    .build(),
                spec()))
        .fails("chain.validity");
    scenario(
            "expired-leaf",
            "A valid document judged one second after its leaf expired (leaves live about three"
                + " hours).",
            sign(spec()))
        .verifyAt(leafNotAfter().plusSeconds(1))
        .fails("chain.validity");
  }

  private void time() {
    scenario(
            "document-too-old",
            "A valid document judged an hour after its timestamp with a maximum age of five"
                + " minutes (the verifier clock's now is verifyAt).",
            sign(spec()))
        .verifyAt(base.plus(Duration.ofHours(1)))
        .option("maxAge", "PT5M")
        .fails("time.max_age");
    scenario(
            "document-from-future",
            "A valid document judged ten minutes before its timestamp with a future skew"
                + " bound of one minute (the verifier clock's now is verifyAt).",
            sign(spec()))
        .verifyAt(base.minus(Duration.ofMinutes(10)))
        .option("maxFutureSkew", "PT1M")
        .fails("time.future_skew");
  }

  private void signature() {
    CoseSign1 env = envelope(spec());
    byte[] sig = env.signature();
    sig[sig.length - 1] ^= 1;
    scenario(
            "signature-bitflip",
            "The lowest bit of the signature's last byte is flipped.",
            env.withSignature(sig).encode())
        .fails("cose.signature");
    byte[] payload = env.payload();
    payload[payload.length - 1] ^= 1;
    scenario(
            "payload-bitflip-after-signing",
            "After signing, the lowest bit of the payload's last byte (inside"
                + " the nonce) is flipped; the payload still parses.",
            env.withPayload(payload).encode())
        .fails("cose.signature");
    scenario(
            "signature-from-other-key",
            "The document carries the genuine chain but is signed by another P-384" + " key.",
            DocumentSigner.signEnvelope(
                    spec().build(),
                    chain.leafCertificate(),
                    chain.cabundle(),
                    DeterministicKey.derive(seed, "not-the-leaf", KeyType.P384))
                .encode())
        .fails("cose.signature");
  }

  private void policy() {
    scenario(
            "debug-pcrs-rejected",
            "A debug-mode enclave (PCR0, PCR1, PCR2 all zero) under the default policy,"
                + " which rejects debug mode.",
            sign(spec().pcrs(debugPcrs())))
        .fails("policy.debug_mode");
    scenario(
            "missing-pinned-pcr",
            "The policy pins PCR16, which the document (PCRs 0..15) does not have.",
            sign(spec()))
        .policy(Map.of("pcrs", hexMap(16, other("pcr16"))))
        .fails("policy.pcrs");
    scenario(
            "pcr-mismatch",
            "The policy pins PCR0 to a value other than the document's.",
            sign(spec()))
        .policy(Map.of("pcrs", hexMap(0, other("pcr0"))))
        .fails("policy.pcrs");
    scenario(
            "no-allowed-pcr-set-matches",
            "The policy allows two PCR sets and the document matches neither.",
            sign(spec()))
        .policy(
            Map.of("allowedPcrSets", List.of(hexMap(0, other("pcr0")), hexMap(1, other("pcr1")))))
        .fails("policy.pcr_sets");
    scenario(
            "user-data-mismatch",
            "The policy expects other user_data than the document's.",
            sign(spec()))
        .policy(Map.of("userData", hex(other("user_data"))))
        .fails("policy.user_data");
    scenario(
            "nonce-mismatch", "The policy expects another nonce than the document's.", sign(spec()))
        .policy(Map.of("nonce", hex(other("nonce"))))
        .fails("policy.nonce");
    scenario(
            "nonce-expected-but-absent",
            "The policy expects a nonce; the document's nonce is null.",
            sign(spec().nonce(null)))
        .policy(Map.of("nonce", hex(nonce)))
        .fails("policy.nonce");
    scenario(
            "public-key-mismatch",
            "The policy expects another public_key than the document's.",
            sign(spec().publicKey(publicKey)))
        .policy(Map.of("publicKey", hex(other("public_key"))))
        .fails("policy.public_key");
  }

  /**
   * The document most scenarios start from: NSM shape, user_data and nonce set, public_key null.
   */
  private DocumentSpec.Builder spec() {
    return DocumentSpec.builder(chain.moduleId(), base, pcrs).userData(USER_DATA).nonce(nonce);
  }

  private SimulatedChain.Builder variant() {
    return SimulatedChain.builder(seed, base);
  }

  private byte[] sign(DocumentSpec.Builder spec) {
    return sign(chain, spec);
  }

  private static byte[] sign(SimulatedChain c, DocumentSpec.Builder spec) {
    return DocumentSigner.sign(c, spec.build());
  }

  private CoseSign1 envelope(DocumentSpec.Builder spec) {
    return DocumentSigner.signEnvelope(chain, spec.build());
  }

  /** Signs with an unrelated P-384 key: the chain's leaf key cannot make an ES384 signature. */
  private byte[] standIn(SimulatedChain c) {
    return DocumentSigner.signEnvelope(
            spec().build(),
            c.leafCertificate(),
            c.cabundle(),
            DeterministicKey.derive(seed, "stand-in-document-key", KeyType.P384))
        .encode();
  }

  private Instant leafNotAfter() {
    try {
      return new X509CertificateHolder(chain.leafCertificate()).getNotAfter().toInstant();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the generated leaf", e);
    }
  }

  /**
   * PCRs 0..count-1: 0, 1, 2, 3, 4 and 8 hold derived values (image, kernel, application, IAM role,
   * instance, signing certificate), the rest are zero, as in real documents.
   */
  private Map<Integer, byte[]> pcrs(int count) {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      boolean measured = i <= 4 || i == 8;
      out.put(
          i,
          measured
              ? Derive.bytes(PCR_BYTES, "pcr", seed, Integer.toString(i))
              : new byte[PCR_BYTES]);
    }
    return out;
  }

  private Map<Integer, byte[]> debugPcrs() {
    Map<Integer, byte[]> out = new LinkedHashMap<>(pcrs);
    for (int i = 0; i <= 2; i++) {
      out.put(i, new byte[PCR_BYTES]);
    }
    return out;
  }

  private static CborWriter.Item pcrItem(Map<Integer, byte[]> values) {
    List<CborWriter.Entry> entries = new ArrayList<>();
    values.forEach((i, v) -> entries.add(CborWriter.entry(i, CborWriter.bytes(v))));
    return CborWriter.map(entries);
  }

  /** A derived 48-byte value that matches nothing in the documents. */
  private byte[] other(String label) {
    return Derive.bytes(PCR_BYTES, "other", seed, label);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** A JSON object from PCR index to hex value, from alternating index and value arguments. */
  private static Map<String, Object> hexMap(Object... indexValuePairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < indexValuePairs.length; i += 2) {
      out.put(indexValuePairs[i].toString(), hex((byte[]) indexValuePairs[i + 1]));
    }
    return out;
  }

  private Draft scenario(String name, String description, byte[] document) {
    return new Draft(name, description, document);
  }

  /** A scenario being described; {@link #verifies} or {@link #fails} adds it to the catalogue. */
  private final class Draft {
    private final String name;
    private final String description;
    private final byte[] document;
    private Instant verifyAt = base;
    private final Map<String, Object> options = new LinkedHashMap<>();

    private Draft(String name, String description, byte[] document) {
      this.name = name;
      this.description = description;
      this.document = document;
    }

    Draft verifyAt(Instant at) {
      this.verifyAt = at;
      return this;
    }

    /**
     * Sets the policy; keys are written in SPEC.md order so that the JSON does not depend on
     * Map.of.
     */
    Draft policy(Map<String, Object> policy) {
      Map<String, Object> ordered = new LinkedHashMap<>();
      for (String key :
          List.of(
              "pcrs",
              "allowedPcrSets",
              "allowDebug",
              "allowNitroTpm",
              "userData",
              "nonce",
              "publicKey")) {
        if (policy.containsKey(key)) {
          ordered.put(key, policy.get(key));
        }
      }
      if (ordered.size() != policy.size()) {
        throw new IllegalArgumentException(name + ": unknown policy key in " + policy.keySet());
      }
      return option("policy", ordered);
    }

    Draft option(String key, Object value) {
      options.put(key, value);
      return this;
    }

    void verifies(String... warnings) {
      add(null, List.of(warnings), "NITRO_ENCLAVE");
    }

    void verifiesAs(String kind, String... warnings) {
      add(null, List.of(warnings), kind);
    }

    void fails(String checkId) {
      add(checkId, List.of(), null);
    }

    private void add(String failedCheck, List<String> warnings, String kind) {
      if (out.stream().anyMatch(s -> s.name().equals(name))) {
        throw new IllegalStateException("duplicate scenario name " + name);
      }
      out.add(
          new Scenario(
              name,
              description,
              document,
              chain.rootPem(),
              verifyAt,
              failedCheck,
              warnings,
              kind,
              options));
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
