package dev.teec.vectors;

import dev.teec.generator.CertRole;
import dev.teec.generator.Derive;
import dev.teec.generator.DeterministicKey;
import dev.teec.generator.DocumentSigner;
import dev.teec.generator.KeyType;
import dev.teec.generator.SignatureAlgorithm;
import dev.teec.generator.SimulatedChain;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;

/** Documents whose certificate chain breaks a rule. */
final class ChainScenarios extends ScenarioGroup {
  ChainScenarios(Shared shared) {
    super(shared);
  }

  @Override
  void add() {
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
}
