package dev.teec.builder.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.SourceInfo;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.Check;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.Policy;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.bundle.BundleCheck;
import dev.teec.verifier.bundle.BundleVerification;
import dev.teec.verifier.bundle.BundleVerifier;
import dev.teec.verifier.bundle.VerifiedBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The checks a returned bundle must pass before the client writes it (spec B7): everything {@code
 * teec-verify bundle} checks, through the same {@link BundleVerifier}, with this build's nonce and
 * the image's PCRs as expectations, and then what only this client knows: the report describes this
 * build (the source archive's SHA-256, commit, tree, path, uri and dirty flag sent, the commit
 * recorded as verified exactly when its objects were sent, the build.json sent, and the builder id
 * of the mode, local or Nitro).
 */
public final class ReturnedBundleCheck {
  private static final BoundedJson JSON = BoundedJson.json(JsonLimits.of(BuildSpec.MAX_BYTES));

  private final Clock clock;
  private final TrustAnchors anchors;

  /**
   * @param clock "now" for the attestation's certificates
   * @param anchors the roots the attestation must chain to (those of the mode: AWS or simulated)
   */
  public ReturnedBundleCheck(Clock clock, TrustAnchors anchors) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.anchors = Objects.requireNonNull(anchors, "anchors");
  }

  /**
   * Checks the bundle file {@code bundle}, extracting below {@code workDirectory}: {@code
   * prepare(workDirectory, expected).check(bundle)}.
   *
   * @return the verified bundle
   * @throws BuildException {@link FailureCode#ATTESTATION_REJECTED} when the attestation is
   *     rejected (wrong root, nonce, report digest or PCRs), else {@link
   *     FailureCode#BUNDLE_REJECTED}, saying which check failed
   * @throws IOException if the bundle cannot be read or the work directory written
   */
  public VerifiedBundle check(Path bundle, Path workDirectory, Expectations expected)
      throws BuildException, IOException {
    return prepare(workDirectory, expected).check(bundle);
  }

  /**
   * The check of one build's bundle, made before the bundle exists, so that a client can {@link
   * Prepared#warmUp warm it up} while the worker builds.
   */
  public Prepared prepare(Path workDirectory, Expectations expected) {
    Policy.Builder policy = Policy.builder().expectNonce(Bytes.of(expected.nonce()));
    expected.pcrs().forEach((i, hex) -> policy.expectPcr(i, Bytes.fromHex(hex)));
    if (expected.debug()) {
      policy.allowDebug();
    }
    BundleVerifier.Builder verifier =
        BundleVerifier.builder()
            .clock(clock)
            .trustAnchors(anchors)
            .options(VerificationOptions.builder().policy(policy.build()).build())
            .workDirectory(workDirectory);
    if (expected.pcrs().isEmpty()) {
      // This client started the worker itself (a local worker has no image measurements), so the
      // attested image needs no identification here; verifiers of the bundle decide for themselves.
      verifier.acceptAnyImage();
    }
    if (expected.emulated()) {
      // Only an emulated enclave's launcher asks for this: QEMU's NSM signs nothing.
      verifier.acceptEmulated();
    }
    return new Prepared(verifier.build(), expected);
  }

  /** {@link ReturnedBundleCheck}'s checks for one build; thread-safe. */
  public static final class Prepared {
    private final BundleVerifier verifier;
    private final Expectations expected;

    private Prepared(BundleVerifier verifier, Expectations expected) {
      this.verifier = verifier;
      this.expected = expected;
    }

    /**
     * Does ahead of time part of what the first check does ({@link BundleVerifier#warmUp}), for
     * another thread to run while the bundle is being made; {@link #check} is the same without it.
     */
    public void warmUp() {
      verifier.warmUp();
    }

    /**
     * Checks the bundle file {@code bundle}.
     *
     * @see ReturnedBundleCheck#check
     */
    public VerifiedBundle check(Path bundle) throws BuildException, IOException {
      BundleVerification result = verifier.verify(bundle);
      Optional<VerifiedBundle> verified = result.verifiedBundle();
      if (verified.isEmpty()) {
        throw rejected(result);
      }
      checkDescribesThisBuild(verified.get().report(), expected);
      return verified.get();
    }
  }

  private static BuildException rejected(BundleVerification result) {
    List<BundleCheck> failed = result.checks().stream().filter(BundleCheck::failed).toList();
    if (failed.get(0).id().equals("bundle.structure")) {
      return new BuildException(
          FailureCode.BUNDLE_REJECTED,
          "the returned bundle is malformed: " + failed.get(0).detail());
    }
    VerificationResult attestation = result.attestation().orElseThrow();
    if (!attestation.verified()) {
      return new BuildException(
          FailureCode.ATTESTATION_REJECTED,
          "the bundle's attestation is rejected: " + describe(attestation.failedChecks()));
    }
    return new BuildException(
        FailureCode.BUNDLE_REJECTED,
        "the returned bundle is rejected: "
            + failed.stream()
                .map(c -> c.id() + ": " + c.detail())
                .collect(Collectors.joining("; ")));
  }

  private static void checkDescribesThisBuild(ProvenanceReport report, Expectations expected)
      throws BuildException {
    SourceInfo source = report.source();
    var sent = expected.source();
    mustEqual("source archive SHA-256", expected.sourceSha256(), source.archiveSha256());
    mustEqual("source commit", sent.commit(), source.commit());
    mustEqual("source tree", sent.tree(), source.tree());
    mustEqual("source uri", sent.uri(), source.uri());
    mustEqual("source path", sent.path(), source.path());
    if (sent.commit() != null) {
      mustEqual("source dirty flag", sent.dirty(), source.dirty());
      // The worker verified the claim exactly when it came with its commit object.
      mustEqual(
          "source verification",
          sent.commitObject() != null,
          Boolean.TRUE.equals(source.commitVerified()));
    }
    JsonNode ours;
    try {
      ours = JSON.read(expected.buildJson());
    } catch (IOException e) {
      throw new IllegalStateException("build.json was parsed before it was sent", e);
    }
    if (!ours.equals(report.buildJson())) {
      throw new BuildException(
          FailureCode.BUNDLE_REJECTED, "the report records another build.json than the one sent");
    }
    String builder =
        expected.simulated() ? ProvenanceReport.BUILDER_LOCAL : ProvenanceReport.BUILDER_NITRO;
    mustEqual("builder id", builder, report.builderId());
  }

  private static void mustEqual(String what, Object sent, Object recorded) throws BuildException {
    if (!Objects.equals(sent, recorded)) {
      throw new BuildException(
          FailureCode.BUNDLE_REJECTED,
          "the report's " + what + " is " + recorded + ", but this build sent " + sent);
    }
  }

  private static String describe(List<Check> failed) {
    Map<CheckId, String> reasons =
        Map.of(
            CheckId.POLICY_NONCE, "wrong nonce (not this build's)",
            CheckId.POLICY_USER_DATA,
                "wrong report digest (user_data is not SHA-384 of teec/report.json)");
    return failed.stream()
        .map(c -> c.id().id() + " " + reasons.getOrDefault(c.id(), c.detail()))
        .collect(Collectors.joining("; "));
  }
}
