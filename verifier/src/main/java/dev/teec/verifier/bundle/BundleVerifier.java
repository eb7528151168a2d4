package dev.teec.verifier.bundle;

import dev.teec.digest.Digests;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.files.FileTrees;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.image.ImageRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies build bundles (spec C2): an application builds one verifier with its trust anchors,
 * policy, image registry and expectations, then calls {@link #verify(Path)} for each bundle and
 * {@link BundleVerification#requireVerified()} on the result.
 *
 * <p><b>Guarantee.</b> A {@link VerifiedBundle}'s artifacts are byte for byte the outputs that the
 * report lists; the report is the one whose SHA-384 an enclave put into an attestation document
 * that chains to a trusted root and satisfies the policy at the chosen time; the DSSE envelope is
 * signed by the key that same document attests; and every expectation given (image, source,
 * builder, nonce, user-supplied files) holds. The enclave image must be identified: an active image
 * of the {@link ImageRegistry} given, or PCRs pinned by the policy (or the expected builder's
 * PCR0); otherwise {@code bundle.image} fails, unless {@link Builder#acceptAnyImage()} was called,
 * which makes it a WARN that says so. Neither the simulated root nor anything the report says
 * identifies an image.
 *
 * <p>The tar is read by the strict {@link BundleReader}: hostile names, links, devices and
 * oversized entries are rejected before their content is read, and nothing is extracted outside a
 * fresh temporary directory, which is deleted before {@code verify} returns. Nothing the bundle
 * says is parsed before it is authenticated: {@code teec/report.json} and the DSSE envelope are
 * parsed only when the attestation verifies and its user_data is SHA-384 of the report's bytes;
 * otherwise their checks, and every check that needs the report, are listed as not run.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BundleVerifier {
  final AttestationVerifier attestationVerifier;
  final VerificationOptions options;
  final String simulatedRootSha256;
  final ImageRegistry registry;
  final SourceExpectation expectedSource;
  final String expectedBuilder;
  final boolean anyImage;
  final Map<String, Path> artifactFiles;
  final Path artifactDirectory;
  private final BundleLimits limits;
  private final Path workDirectory;

  private BundleVerifier(Builder b) {
    List<X509Certificate> anchors = new ArrayList<>(b.trustAnchors.certificates());
    if (b.simulatedRoot != null) {
      anchors.add(b.simulatedRoot);
    }
    AttestationVerifier.Builder attestation =
        AttestationVerifier.builder().clock(b.clock).trustAnchors(TrustAnchors.of(anchors));
    if (b.acceptEmulated) {
      attestation.acceptEmulated();
    }
    this.attestationVerifier = attestation.build();
    this.options = b.options;
    this.simulatedRootSha256 = b.simulatedRoot == null ? null : fingerprint(b.simulatedRoot);
    this.registry = b.registry;
    this.expectedSource = b.expectedSource;
    this.expectedBuilder = b.expectedBuilder;
    this.anyImage = b.anyImage;
    this.artifactFiles = Map.copyOf(b.artifactFiles);
    this.artifactDirectory = b.artifactDirectory;
    this.limits = b.limits;
    this.workDirectory = b.workDirectory;
  }

  /** A builder: system clock, the pinned AWS root, default options, no expectations. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Warms the attestation verifier ahead of the first {@link #verify} ({@link
   * AttestationVerifier#warmUp}); results are the same without it.
   */
  public void warmUp() {
    attestationVerifier.warmUp();
  }

  /**
   * Verifies one bundle file. Problems with the bundle are failed checks in the result, never
   * exceptions.
   *
   * @param bundle the bundle tar
   * @return every check and what was read
   * @throws IOException if a user-supplied artifact file cannot be read, or the temporary directory
   *     cannot be created: an environment failure, not a verdict (a bundle that cannot be read or
   *     extracted fails {@code bundle.structure})
   */
  public BundleVerification verify(Path bundle) throws IOException {
    Path extract =
        workDirectory == null
            ? Files.createTempDirectory("teec-bundle-")
            : Files.createTempDirectory(workDirectory, "teec-bundle-");
    try {
      return new BundleRun(this, bundle.toString()).run(new BundleReader(limits), bundle, extract);
    } finally {
      FileTrees.delete(extract);
    }
  }

  /**
   * True when {@code id}, as given to {@link Builder#expectBuilder}, is a PCR0 in hex (48 bytes)
   * rather than a registry image id.
   */
  public static boolean isPcr0(String id) {
    return id.length() == 96 && id.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static String fingerprint(X509Certificate cert) {
    try {
      return Digests.sha256Hex(cert.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the simulated root cannot be encoded", e);
    }
  }

  /**
   * Configures a {@link BundleVerifier}. Strict by default: the pinned AWS root only, no
   * relaxations; every expectation is opt-in and only narrows what passes. Not thread-safe.
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private TrustAnchors trustAnchors = TrustAnchors.awsNitroEnclavesRootG1();
    private X509Certificate simulatedRoot;
    private boolean acceptEmulated;
    private VerificationOptions options = VerificationOptions.DEFAULT;
    private ImageRegistry registry;
    private SourceExpectation expectedSource;
    private String expectedBuilder;
    private boolean anyImage;
    private final Map<String, Path> artifactFiles = new LinkedHashMap<>();
    private Path artifactDirectory;
    private BundleLimits limits = BundleLimits.defaults();
    private Path workDirectory;

    private Builder() {}

    /** The source of "now" for certificate validity and freshness (default: the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The roots attestations must chain to (default: the pinned AWS Nitro Enclaves root G1). */
    public Builder trustAnchors(TrustAnchors anchors) {
      this.trustAnchors = Objects.requireNonNull(anchors, "anchors");
      return this;
    }

    /**
     * Also trusts the local simulated NSM's root; bundles attested under it verify with a {@code
     * bundle.simulated} WARN. For development only: whoever holds its key can attest anything.
     */
    public Builder simulatedRoot(X509Certificate root) {
      this.simulatedRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /**
     * Also accepts attestations of QEMU's emulated NSM (unsigned: anyone can write one; SPEC E6);
     * such bundles verify with a {@code bundle.emulated} WARN. For development and tests of the
     * enclave path without Nitro hardware only.
     */
    public Builder acceptEmulated() {
      this.acceptEmulated = true;
      return this;
    }

    /**
     * The time T, policy and freshness bounds for the attestation. The policy must not pin
     * user_data: a bundle's user_data is always the report's SHA-384.
     *
     * @throws IllegalArgumentException if the policy pins user_data
     */
    public Builder options(VerificationOptions options) {
      Objects.requireNonNull(options, "options");
      if (options.policy().expectedUserData().isPresent()) {
        throw new IllegalArgumentException(
            "a bundle's user_data must be the report's SHA-384; the policy must not pin it");
      }
      this.options = options;
      return this;
    }

    /**
     * The registry the attested image must be an active entry of, such as a signed registry's
     * {@link dev.teec.verifier.image.RegistryImages}.
     */
    public Builder imageRegistry(ImageRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Requires the report to record this repository and commit, without uncommitted changes. */
    public Builder expectSource(SourceExpectation source) {
      this.expectedSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Requires the builder's image to be {@code imageId}: the attested PCR0 (96 hex digits, which
     * then also identifies the image for {@code bundle.image}), or the {@link #imageRegistry
     * registry}'s id for the attested image. The report's own claim is never consulted, so a
     * registry id needs a registry ({@link #build()} checks).
     */
    public Builder expectBuilder(String imageId) {
      Objects.requireNonNull(imageId, "imageId");
      if (imageId.isBlank()) {
        throw new IllegalArgumentException("the expected builder image id is empty");
      }
      this.expectedBuilder = imageId;
      return this;
    }

    /**
     * Accepts bundles whose enclave image is not identified by a registry or pinned PCRs: {@code
     * bundle.image} is then a WARN instead of a failure. Such a bundle proves only that some
     * enclave built it, and anyone can start an enclave with any code, so a caller that uses this
     * must say so to its users. It contradicts a registry or pinned PCRs ({@link #build()} checks).
     */
    public Builder acceptAnyImage() {
      this.anyImage = true;
      return this;
    }

    /** Also checks the user's file {@code file} against the report's subject {@code name}. */
    public Builder artifactFile(String name, Path file) {
      artifactFiles.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(file, "file"));
      return this;
    }

    /**
     * Also checks every subject found as a regular file at {@code dir/<name>}; it is a failure when
     * the directory holds none of them.
     */
    public Builder artifactDirectory(Path dir) {
      this.artifactDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** The tar reader's size limits (default {@link BundleLimits#defaults()}). */
    public Builder limits(BundleLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Where the temporary extraction directory is created (default: the system's temporary
     * directory). It is deleted before {@link #verify} returns.
     */
    public Builder workDirectory(Path dir) {
      this.workDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @throws IllegalStateException if {@link #acceptAnyImage()} is combined with a registry or
     *     pinned PCRs, or {@link #expectBuilder} names a registry id without a registry
     */
    public BundleVerifier build() {
      boolean pinned =
          !options.policy().expectedPcrs().isEmpty()
              || options.policy().allowedPcrSets().isPresent();
      if (anyImage && (registry != null || pinned)) {
        throw new IllegalStateException(
            "acceptAnyImage() contradicts the "
                + (registry != null ? "image registry" : "pinned PCRs")
                + " given: the image would be identified after all");
      }
      if (expectedBuilder != null && registry == null && !isPcr0(expectedBuilder)) {
        throw new IllegalStateException(
            "expectBuilder(\""
                + expectedBuilder
                + "\") names a registry image id, but no image registry is given; without one,"
                + " name the builder by its PCR0 (96 hex digits)");
      }
      return new BundleVerifier(this);
    }
  }
}
