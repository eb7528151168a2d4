package dev.teec.builder.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teec.formats.bundle.BundleFormatException;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ReadBundle;
import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.EcP384;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.SourceInfo;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.Check;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.Policy;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The checks a bundle must pass before the client writes it: the ones {@code teec-verify bundle}
 * makes, plus what only the client knows. In order:
 *
 * <ol>
 *   <li>the tar is a well-formed bundle and its parts agree (report, DSSE payload, log, outputs);
 *   <li>the attestation verifies against the given roots with <em>this build's nonce</em>,
 *       user_data equal to SHA-384 of the report (the report digest), and the expected PCRs;
 *   <li>the DSSE envelope verifies with the attested public key and carries the report;
 *   <li>the report describes this build: the source archive's SHA-256, commit, tree and dirty flag
 *       sent, the build.json sent, and the builder id of the mode (local or Nitro).
 * </ol>
 */
public final class BundleCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AttestationVerifier verifier;

  /**
   * @param verifier verifies the attestation (its trust anchors decide which roots count)
   */
  public BundleCheck(AttestationVerifier verifier) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  /**
   * Checks the bundle file {@code bundle}, extracting into the empty directory {@code extractDir}.
   *
   * @throws BuildException {@link FailureCode#BUNDLE_REJECTED} or {@link
   *     FailureCode#ATTESTATION_REJECTED}, saying which check failed
   */
  public CheckedBundle check(Path bundle, Path extractDir, Expectations expected)
      throws BuildException, IOException {
    ReadBundle read;
    ProvenanceReport report;
    try {
      read = new BundleReader(BundleLimits.defaults()).read(bundle, extractDir);
      report = read.checkConsistency();
    } catch (BundleFormatException e) {
      throw new BuildException(
          FailureCode.BUNDLE_REJECTED, "the returned bundle is malformed: " + e.getMessage(), e);
    }
    byte[] reportBytes = read.reportJson();
    byte[] reportSha384 = digest("SHA-384", reportBytes);

    Policy.Builder policy =
        Policy.builder()
            .expectNonce(Bytes.of(expected.nonce()))
            .expectUserData(Bytes.of(reportSha384));
    expected.pcrs().forEach((i, hex) -> policy.expectPcr(i, Bytes.fromHex(hex)));
    if (expected.debug()) {
      policy.allowDebug();
    }
    VerificationResult result =
        verifier.verify(
            read.attestationCbor(), VerificationOptions.builder().policy(policy.build()).build());
    if (!result.verified()) {
      throw new BuildException(
          FailureCode.ATTESTATION_REJECTED,
          "the bundle's attestation is rejected: " + describe(result.failedChecks()));
    }
    AttestationDocument doc = result.decodedUnverified().orElseThrow();
    try {
      byte[] payload =
          Dsse.verify(
              read.reportDsseJson(),
              Dsse.IN_TOTO_PAYLOAD_TYPE,
              EcP384.decodePublicKey(
                  doc.publicKey()
                      .orElseThrow(
                          () ->
                              new BuildException(
                                  FailureCode.ATTESTATION_REJECTED,
                                  "the attestation carries no public_key"))
                      .toByteArray()));
      if (!MessageDigest.isEqual(payload, reportBytes)) {
        throw new BuildException(
            FailureCode.BUNDLE_REJECTED, "the DSSE envelope carries another report");
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new BuildException(
          FailureCode.BUNDLE_REJECTED,
          "the DSSE envelope does not verify with the attested public key: " + e.getMessage(),
          e);
    }
    checkDescribesThisBuild(report, expected);
    return new CheckedBundle(report, HexFormat.of().formatHex(reportSha384));
  }

  private static void checkDescribesThisBuild(ProvenanceReport report, Expectations expected)
      throws BuildException {
    SourceInfo source = report.source();
    var sent = expected.source();
    mustEqual("source archive SHA-256", expected.sourceSha256(), source.archiveSha256());
    mustEqual("source commit", sent.commit(), source.commit());
    mustEqual("source tree", sent.tree(), source.tree());
    mustEqual("source uri", sent.uri(), source.uri());
    if (sent.commit() != null) {
      mustEqual("source dirty flag", sent.dirty(), source.dirty());
    }
    JsonNode ours;
    try {
      ours = JSON.readTree(expected.buildJson());
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

  static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is required of every Java platform", e);
    }
  }
}
