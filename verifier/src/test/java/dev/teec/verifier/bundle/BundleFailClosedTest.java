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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of issue 10 on the library: a bundle from an unidentified image, a builder named by
 * the report's own claim, and a hostile report that must not be parsed before it is authenticated.
 */
class BundleFailClosedTest {
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

  private static ImageRegistry registryOf(String id) {
    return new ImageRegistry() {
      @Override
      public String describe() {
        return "test registry";
      }

      @Override
      public ImageLookup lookup(SortedMap<Integer, Bytes> pcrs, Instant at) {
        return pcrs.get(0).hex().equals(pcr0)
            ? ImageLookup.active(id, "")
            : ImageLookup.unknown("");
      }
    };
  }

  @Test
  void verify_noRegistryNoPinnedPcrs_failsBundleImage() throws Exception {
    BundleVerification v = simulated().build().verify(forge.base);
    assertThat(v.verified()).isFalse();
    assertThat(v.failures()).containsExactly("bundle.image");
    assertThat(v.check("bundle.image").orElseThrow().detail())
        .contains("the enclave image is not identified")
        .contains(pcr0);
    // The simulated root is trusted, yet that identifies no image.
    assertThat(v.simulated()).isTrue();
  }

  @Test
  void verify_acceptAnyImage_verifiesWithAnAnyImageWarning() throws Exception {
    BundleVerification v = simulated().acceptAnyImage().build().verify(forge.base);
    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    assertThat(v.warnings()).contains("bundle.image");
    assertThat(v.check("bundle.image").orElseThrow().detail()).startsWith("ANY IMAGE");
  }

  @Test
  void verify_pinnedPcr0_identifiesTheImage() throws Exception {
    VerificationOptions pinned =
        VerificationOptions.builder()
            .policy(Policy.builder().expectPcr(0, Bytes.fromHex(pcr0)).build())
            .build();
    BundleVerification v = simulated().options(pinned).build().verify(forge.base);
    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    assertThat(v.check("bundle.image").orElseThrow().status()).isEqualTo(CheckStatus.PASS);
  }

  @Test
  void build_acceptAnyImageWithARegistryOrPins_isRefused() {
    assertThatThrownBy(() -> simulated().acceptAnyImage().imageRegistry(registryOf("x")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("image registry");
    VerificationOptions pinned =
        VerificationOptions.builder()
            .policy(Policy.builder().expectPcr(0, Bytes.fromHex(pcr0)).build())
            .build();
    assertThatThrownBy(() -> simulated().acceptAnyImage().options(pinned).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pinned PCRs");
  }

  /**
   * The report may claim any registry id; without a registry nothing confirms it, so naming the
   * builder by registry id is refused rather than checked against the claim.
   */
  @Test
  void build_expectBuilderByRegistryIdWithoutRegistry_isRefused() throws Exception {
    BundleForge.Parts parts = forge.read(forge.base);
    String claimed = parts.parsedReport().enclaveImage().registryId();
    assertThatThrownBy(() -> simulated().expectBuilder(claimed == null ? "c-gcc" : claimed).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no image registry");
  }

  @Test
  void verify_expectBuilderByPcr0_identifiesTheImageAndChecksIt() throws Exception {
    BundleVerification v = simulated().expectBuilder(pcr0).build().verify(forge.base);
    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    assertThat(v.check("bundle.image").orElseThrow().detail()).contains("expected builder");
    BundleVerification other =
        simulated().expectBuilder("ab".repeat(48)).build().verify(forge.base);
    assertThat(other.failures()).containsExactly("bundle.image", "bundle.expect.builder");
  }

  @Test
  void verify_expectBuilderByRegistryId_usesTheRegistryNotTheReport() throws Exception {
    BundleVerification v =
        simulated()
            .imageRegistry(registryOf("c-gcc"))
            .expectBuilder("c-gcc")
            .build()
            .verify(forge.base);
    assertThat(v.verified()).as(v.checks().toString()).isTrue();
    assertThat(v.check("bundle.expect.builder").orElseThrow().detail())
        .contains("the attested image is c-gcc in test registry");
  }

  /**
   * A number that costs minutes to expand, inside buildJson, in a report no enclave attested: it is
   * never parsed, and the checks that need it say why.
   */
  @Test
  void verify_hostileReportNotAttested_isNotParsed() throws Exception {
    BundleForge.Parts parts = forge.read(forge.base);
    byte[] hostile = withHugeExponent(parts.report());
    BundleVerification v =
        simulated()
            .acceptAnyImage()
            .build()
            .verify(forge.write("hostile-unattested.tar", parts.withReport(hostile)));
    assertThat(v.failures()).contains("bundle.binding");
    assertThat(v.check("bundle.report").orElseThrow().status()).isEqualTo(CheckStatus.SKIP);
    assertThat(v.check("bundle.report").orElseThrow().detail())
        .contains("not read: the report is not authenticated (bundle.binding)");
    assertThat(v.check("bundle.dsse").orElseThrow().status()).isEqualTo(CheckStatus.SKIP);
    assertThat(v.reportUnverified()).isEmpty();
  }

  /** The same report attested by an enclave: parsed, and rejected by the bounded reader at once. */
  @Test
  void verify_hostileReportAttested_isRejectedByBundleReport() throws Exception {
    BundleForge.Parts parts = forge.read(forge.base);
    byte[] hostile = withHugeExponent(parts.report());
    BundleVerification v =
        simulated()
            .acceptAnyImage()
            .build()
            .verify(forge.write("hostile-attested.tar", forge.resignBytes(parts, nsm, hostile)));
    assertThat(v.failures()).contains("bundle.report");
    assertThat(v.failures()).doesNotContain("bundle.attestation", "bundle.binding", "bundle.dsse");
    assertThat(v.check("bundle.report").orElseThrow().detail()).containsIgnoringCase("exponent");
  }

  /** {@code "a":1e999999999} as the first member of the report's buildJson. */
  private static byte[] withHugeExponent(byte[] report) {
    String json = new String(report, StandardCharsets.UTF_8);
    String key = "\"buildJson\":{";
    int at = json.indexOf(key);
    assertThat(at).isPositive();
    int open = at + key.length();
    return (json.substring(0, open) + "\"a\":1e999999999," + json.substring(open))
        .getBytes(StandardCharsets.UTF_8);
  }
}
