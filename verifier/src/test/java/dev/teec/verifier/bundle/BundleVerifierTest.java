package dev.teec.verifier.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.Policy;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.image.ImageLookup;
import dev.teec.verifier.image.ImageRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library API: one call per bundle, the image seam, and the temporary directory. */
class BundleVerifierTest {
  @TempDir static Path tmp;
  private static BundleForge forge;
  private static SimulatedNsm nsm;
  private static String pcr0;

  @BeforeAll
  static void buildBundle() throws Exception {
    forge = BundleForge.create(tmp);
    nsm = forge.otherBuilder();
    pcr0 = HexFormat.of().formatHex(BundleForge.identity().pcrs().get(0));
  }

  private static BundleVerifier.Builder simulated() {
    return BundleVerifier.builder()
        .clock(Clock.systemUTC())
        .trustAnchors(TrustAnchors.awsNitroEnclavesRootG1())
        .simulatedRoot(nsm.rootCertificate());
  }

  /** A registry holding one image, by PCR0. */
  private static ImageRegistry registry(String id, String knownPcr0, boolean active) {
    return new ImageRegistry() {
      @Override
      public String describe() {
        return "test registry";
      }

      @Override
      public ImageLookup lookup(SortedMap<Integer, Bytes> pcrs, Instant at) {
        if (!pcrs.get(0).hex().equals(knownPcr0)) {
          return ImageLookup.unknown("");
        }
        return active ? ImageLookup.active(id, "") : ImageLookup.inactive(id, "revoked");
      }
    };
  }

  @Test
  void verify_registryHit_passesTheImageCheckAndNamesTheImage() throws Exception {
    BundleVerification v =
        simulated().imageRegistry(registry("teec-worker-1", pcr0, true)).build().verify(forge.base);
    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    assertThat(v.check("bundle.image").orElseThrow().status()).isEqualTo(CheckStatus.PASS);
    assertThat(v.requireVerified().builder().imageId()).isEqualTo("teec-worker-1");
    assertThat(v.requireVerified().builder().pcr0()).isEqualTo(pcr0);
  }

  @Test
  void verify_registryMiss_failsTheImageCheck() throws Exception {
    BundleVerification v =
        simulated().imageRegistry(registry("x", "00".repeat(48), true)).build().verify(forge.base);
    assertThat(v.failures()).containsExactly("bundle.image");
    assertThat(v.check("bundle.image").orElseThrow().detail())
        .contains("no image in test registry");
    assertThat(v.builderUnverified().orElseThrow().imageId()).isNull();
  }

  @Test
  void verify_revokedImage_failsTheImageCheck() throws Exception {
    BundleVerification v =
        simulated().imageRegistry(registry("old", pcr0, false)).build().verify(forge.base);
    assertThat(v.failures()).containsExactly("bundle.image");
    assertThat(v.check("bundle.image").orElseThrow().detail()).contains("revoked");
  }

  @Test
  void verify_expectBuilderByRegistryId_usesTheRegistry() throws Exception {
    BundleVerifier v =
        simulated()
            .imageRegistry(registry("teec-worker-1", pcr0, true))
            .expectBuilder("teec-worker-1")
            .build();
    assertThat(v.verify(forge.base).verified()).isTrue();
    BundleVerifier other =
        simulated()
            .imageRegistry(registry("teec-worker-1", pcr0, true))
            .expectBuilder("teec-worker-2")
            .build();
    assertThat(other.verify(forge.base).failures()).containsExactly("bundle.expect.builder");
  }

  @Test
  void verify_hostileTar_leavesTheWorkDirectoryEmpty() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    byte[] x = "x".getBytes(StandardCharsets.UTF_8);
    // A good entry is extracted first, then a hostile one: the extracted file must be removed too.
    byte[] tar =
        new TarBytes()
            .file("artifacts/a", x, 0644)
            .file("artifacts/b/../../../escaped", x, 0644)
            .finish();
    Path file = Files.write(tmp.resolve("hostile.tar"), tar);
    BundleVerification v = simulated().workDirectory(work).build().verify(file);
    assertThat(v.failures()).containsExactly("bundle.structure");
    try (Stream<Path> left = Files.list(work)) {
      assertThat(left).isEmpty();
    }
    assertThat(tmp.resolve("escaped")).doesNotExist();
    BundleVerification good =
        simulated().acceptAnyImage().workDirectory(work).build().verify(forge.base);
    assertThat(good.verified()).isTrue();
    try (Stream<Path> left = Files.list(work)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void requireVerified_rejectedBundle_throwsNamingTheFailedChecks() throws Exception {
    BundleVerification v =
        simulated().imageRegistry(registry("x", "00".repeat(48), true)).build().verify(forge.base);
    assertThat(v.verifiedBundle()).isEmpty();
    assertThatThrownBy(v::requireVerified)
        .isInstanceOfSatisfying(
            BundleVerificationException.class,
            e -> assertThat(e.failures()).containsExactly("bundle.image"))
        .hasMessageContaining("no image in test registry");
    // The claims stay readable, under names that say so.
    assertThat(v.reportUnverified()).isPresent();
    assertThat(v.summaryUnverified().orElseThrow().subjects()).containsKey("hello");
  }

  @Test
  void requireVerified_verifiedBundle_givesTheReportDigestsAndAttestation() throws Exception {
    VerifiedBundle b = simulated().acceptAnyImage().build().verify(forge.base).requireVerified();
    byte[] hello = forge.read(forge.base).artifacts().get("hello");
    assertThat(b.artifactDigests()).containsExactly(Map.entry("hello", BundleForge.sha256(hello)));
    assertThat(b.report().subjects()).hasSize(1);
    assertThat(b.simulated()).isTrue();
    assertThat(b.attestation().document().userData().orElseThrow().hex())
        .isEqualTo(b.reportSha384());
    assertThat(b.builder().pcr0()).isEqualTo(pcr0);
  }

  @Test
  void verifiedTypes_haveNoPublicConstructor() {
    assertThat(VerifiedBundle.class.getConstructors()).isEmpty();
    assertThat(BundleVerification.class.getConstructors()).isEmpty();
    assertThat(BundleVerificationException.class.getConstructors()).isEmpty();
  }

  @Test
  void options_pinningUserData_isRefused() {
    VerificationOptions pinned =
        VerificationOptions.builder()
            .policy(Policy.builder().expectUserData(Bytes.of(new byte[48])).build())
            .build();
    assertThatThrownBy(() -> BundleVerifier.builder().options(pinned))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user_data");
  }
}
