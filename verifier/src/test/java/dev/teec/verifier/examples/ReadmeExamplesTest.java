package dev.teec.verifier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.teec.enclave.nsm.AttestationRequest;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.formats.report.EphemeralSigningKey;
import dev.teec.formats.report.SourceInfo;
import dev.teec.truststore.registry.ImageStatus;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationException;
import dev.teec.verifier.bundle.BundleForge;
import dev.teec.verifier.bundle.BundleVerificationException;
import dev.teec.verifier.bundle.BundleVerifier;
import dev.teec.verifier.vote.OperatorSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Embedding the verifier" section: its Java blocks are exactly the regions of {@link
 * EmbeddingExamples}, each at most 15 lines, and each region runs against real inputs (a simulated
 * attestation document, bundles from the local worker, a signed registry).
 */
class ReadmeExamplesTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path EXAMPLES =
      Path.of("src/test/java/dev/teec/verifier/examples/EmbeddingExamples.java");
  private static final String SECTION = "## Embedding the verifier";
  private static final String SOURCE =
      "git+https://github.com/example/hello.git@" + "ab".repeat(20);

  @TempDir static Path tmp;
  private static BundleForge forge;
  private static SimulatedNsm nsm;
  private static TrustAnchors simulatedRoot;

  @BeforeAll
  static void inputs() throws Exception {
    forge = BundleForge.create(tmp);
    nsm = forge.otherBuilder();
    simulatedRoot = TrustAnchors.of(List.of(nsm.rootCertificate()));
  }

  @Test
  void readme_holdsExactlyTheExamples_eachAtMost15Lines() throws Exception {
    String readme = Files.readString(README);
    int start = readme.indexOf("\n" + SECTION + "\n");
    assertThat(start).as("the README has a section '%s'", SECTION).isPositive();
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);

    List<String> blocks = blocks(section, "java");
    Map<String, String> regions = regions(Files.readString(EXAMPLES));
    assertThat(blocks).containsExactlyElementsOf(regions.values());
    regions.forEach(
        (name, code) ->
            assertThat(code.lines().count()).as("example %s", name).isLessThanOrEqualTo(15));
    // The library is the dependency the section names first.
    assertThat(blocks(section, "xml").get(0)).contains("<artifactId>verifier</artifactId>");
  }

  @Test
  void documentExample_returnsTheAttestedKey_andRejectsAnotherNonce() throws Exception {
    byte[] nonce = "a nonce of sixteen".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] key = EphemeralSigningKey.generate(new SecureRandom()).publicKeyDer();
    byte[] document = nsm.attest(new AttestationRequest(null, nonce, key));
    String pcr0 = Bytes.of(nsm.pcrs().get(0)).hex();
    assertThat(EmbeddingExamples.document(document, pcr0, nonce, simulatedRoot)).isEqualTo(key);
    assertThatThrownBy(
            () -> EmbeddingExamples.document(document, pcr0, new byte[16], simulatedRoot))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("policy.nonce");
  }

  @Test
  void bundleExample_verifiesAgainstASignedRegistry_andRefusesItsRollback() throws Exception {
    BundleForge.Parts parts = forge.read(forge.base);
    String archive = parts.parsedReport().source().archiveSha256();
    SourceInfo source =
        SourceInfo.ofArchive(archive)
            .withUri("git+https://github.com/example/hello.git")
            .withCommit("ab".repeat(20))
            .withTree("cd".repeat(20))
            .withDirty(false)
            .withCommitVerified(true);
    Path bundle =
        forge.write(
            "sourced.tar", forge.resign(parts, nsm, r -> BundleForge.withSource(r, source)));
    ECKey maintainer = MaintainerKeys.generate("maintainer");
    Path keys =
        Files.writeString(
            tmp.resolve("keys.jwks"), new JWKSet(maintainer.toPublicJWK()).toString());
    Path state = tmp.resolve("registry-versions");
    Path v2 = forge.registry("v2.json", 2, ImageStatus.active(), maintainer);

    String digest = EmbeddingExamples.bundle(bundle, v2, keys, state, SOURCE, simulatedRoot);
    assertThat(digest).isEqualTo(BundleForge.sha256(parts.artifacts().get("hello")));

    Path v1 = forge.registry("v1.json", 1, ImageStatus.active(), maintainer);
    assertThatThrownBy(
            () -> EmbeddingExamples.bundle(bundle, v1, keys, state, SOURCE, simulatedRoot))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessageContaining("bundle.image")
        .hasMessageContaining("rollback: version 1 is below version 2");
    assertThatThrownBy(
            () -> EmbeddingExamples.bundle(forge.base, v2, keys, state, SOURCE, simulatedRoot))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessageContaining("bundle.expect.source");
  }

  @Test
  void voteExample_countsVerifiedBundlesOfPinnedOperatorsOnly() throws Exception {
    BundleForge.Parts parts = forge.read(forge.base);
    byte[] hello = parts.artifacts().get("hello");
    byte[] tampered = hello.clone();
    tampered[100] ^= 1;
    List<Path> files =
        List.of(
            forge.base,
            forge.write("other.tar", forge.resign(parts, forge.otherBuilder(), r -> r)),
            forge.write("tampered.tar", parts.withArtifact("hello", tampered)));
    BundleVerifier verifier =
        BundleVerifier.builder().trustAnchors(simulatedRoot).acceptAnyImage().build();
    ECKey alice = MaintainerKeys.generate("alice");
    ECKey bob = MaintainerKeys.generate("bob");
    Path operators =
        Files.writeString(
            tmp.resolve("operators.jwks"),
            new JWKSet(List.of(alice.toPublicJWK(), bob.toPublicJWK())).toString());
    sign(verifier, files.get(0), alice);
    sign(verifier, files.get(1), bob);
    Files.writeString(OperatorSignature.fileFor(files.get(2)), "not a signature");

    assertThat(EmbeddingExamples.vote(verifier, files, operators))
        .isEqualTo(BundleForge.sha256(hello));
    assertThatThrownBy(() -> EmbeddingExamples.vote(verifier, files.subList(1, 3), operators))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("QUORUM_NOT_MET");
    sign(verifier, files.get(1), alice); // now one operator signed both: one builder
    assertThatThrownBy(() -> EmbeddingExamples.vote(verifier, files, operators))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("QUORUM_NOT_MET");
  }

  private static void sign(BundleVerifier verifier, Path bundle, ECKey key) throws Exception {
    String reportSha384 = verifier.verify(bundle).requireVerified().reportSha384();
    Files.writeString(
        OperatorSignature.fileFor(bundle), OperatorSignature.sign(reportSha384, key) + "\n");
  }

  /** The code of every ```LANGUAGE block of {@code markdown}, in order. */
  private static List<String> blocks(String markdown, String language) {
    List<String> out = new ArrayList<>();
    Matcher m =
        Pattern.compile("^```" + language + "\n(.*?)^```$", Pattern.MULTILINE | Pattern.DOTALL)
            .matcher(markdown);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Each region between "// README:name" and "// END", without its common indentation. */
  private static Map<String, String> regions(String source) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("^ *// README:(\\w+)\n(.*?)^ *// END$", Pattern.MULTILINE | Pattern.DOTALL)
            .matcher(source);
    while (m.find()) {
      List<String> lines = m.group(2).lines().toList();
      int indent =
          lines.stream()
              .filter(l -> !l.isBlank())
              .mapToInt(l -> l.length() - l.stripLeading().length())
              .min()
              .orElse(0);
      StringBuilder code = new StringBuilder();
      lines.forEach(l -> code.append(l.length() >= indent ? l.substring(indent) : l).append('\n'));
      out.put(m.group(1), code.toString());
    }
    assertThat(out).as("regions in %s", EXAMPLES).isNotEmpty();
    return out;
  }
}
