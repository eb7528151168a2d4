package dev.teec.verifier.examples;

import dev.teec.truststore.registry.FileRegistryVersionStore;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.truststore.registry.RegistryVerification;
import dev.teec.truststore.registry.RegistryVerifier;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.Policy;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationException;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.VerifiedAttestation;
import dev.teec.verifier.bundle.BundleVerification;
import dev.teec.verifier.bundle.BundleVerificationException;
import dev.teec.verifier.bundle.BundleVerifier;
import dev.teec.verifier.bundle.SourceExpectation;
import dev.teec.verifier.bundle.VerifiedBundle;
import dev.teec.verifier.image.RegistryImages;
import dev.teec.verifier.vote.Ballot;
import dev.teec.verifier.vote.OperatorKeys;
import dev.teec.verifier.vote.Vote;
import dev.teec.verifier.vote.VoteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's "Embedding the verifier" examples. Each region between {@code // README:name} and
 * {@code // END} is a ```java block of the README, verbatim; {@code ReadmeExamplesTest} checks that
 * the README holds exactly these blocks and runs each method on real inputs, so the examples cannot
 * rot. The parameters are the values an application has: in production {@code anchors} is {@code
 * TrustAnchors.awsNitroEnclavesRootG1()}, the default.
 */
// spotless:off (the README shows these lines as they are written here)
final class EmbeddingExamples {
  private EmbeddingExamples() {}

  static byte[] document(byte[] documentBytes, String pcr0Hex, byte[] nonce, TrustAnchors anchors)
      throws VerificationException {
    // README:document
    AttestationVerifier verifier = AttestationVerifier.builder().trustAnchors(anchors).build();
    VerificationResult result = verifier.verify(documentBytes,
        VerificationOptions.builder()
            .policy(Policy.builder().expectPcr(0, Bytes.fromHex(pcr0Hex)).expectNonce(Bytes.of(nonce)).build())
            .maxAge(Duration.ofMinutes(5))
            .build());
    VerifiedAttestation attestation = result.requireVerified(); // throws, listing the failed checks
    byte[] enclaveKey = attestation.document().publicKey().orElseThrow().toByteArray();
    // END
    return enclaveKey;
  }

  static String bundle(Path bundleFile, Path registryFile, Path keysFile, Path stateDir,
      String expectedSource, TrustAnchors anchors)
      throws IOException, RegistryFormatException, BundleVerificationException {
    // README:bundle
    RegistryVerification registry = RegistryVerifier.builder()
        .keys(MaintainerKeys.parsePublicSet(Files.readString(keysFile))) // pinned maintainer keys
        .threshold(1)
        .versionStore(new FileRegistryVersionStore(stateDir)) // refuses an older registry later
        .build()
        .verify(Files.readAllBytes(registryFile));
    BundleVerifier verifier = BundleVerifier.builder()
        .trustAnchors(anchors)
        .imageRegistry(new RegistryImages(registry, registryFile.toString()))
        .expectSource(SourceExpectation.parse(expectedSource))
        .build();
    VerifiedBundle bundle = verifier.verify(bundleFile).requireVerified(); // throws, listing failures
    String digest = bundle.artifactDigests().get("hello"); // SHA-256 of the verified artifact
    // END
    return digest;
  }

  static String vote(BundleVerifier verifier, List<Path> bundleFiles, Path operatorKeysFile)
      throws IOException, RegistryFormatException {
    // README:vote
    Vote vote = Vote.builder().quorum(2) // at least two independent builders
        .operatorKeys(OperatorKeys.parse(Files.readString(operatorKeysFile))) // pinned operator keys
        .build();
    List<Ballot> ballots = new ArrayList<>();
    for (Path file : bundleFiles) {
      BundleVerification checked = verifier.verify(file);
      if (checked.verified()) { // rejected bundles do not vote
        ballots.add(Ballot.nextTo(checked.verifiedBundle().orElseThrow())); // signature: file.jws
      }
    }
    VoteResult result = vote.count(ballots);
    if (!result.outcome().agreed()) {
      throw new IllegalStateException("the builders do not agree: " + result.outcome());
    }
    String agreed = result.artifacts().get(0).majority(); // the digest a strict majority built
    // END
    return agreed;
  }
}
// spotless:on
