package dev.teec.cli.registry;

import dev.teec.truststore.image.ImageMatch;
import dev.teec.truststore.image.ImageMatcher;
import dev.teec.truststore.registry.RegistryCheck;
import dev.teec.truststore.registry.RegistryJson;
import dev.teec.truststore.registry.RegistryVerification;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.VerificationResult;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A loaded registry, ready to judge verification results; made by {@link RegistryOptions#load}. */
public final class RegistryContext {
  private final RegistryVerification verification;
  private final List<X509Certificate> extraAnchors;

  RegistryContext(RegistryVerification verification, List<X509Certificate> extraAnchors) {
    this.verification = verification;
    this.extraAnchors = List.copyOf(extraAnchors);
  }

  /** The registry's own verification. */
  public RegistryVerification verification() {
    return verification;
  }

  /**
   * The details of the registry checks that passed with a warning, such as a rollback the user
   * allowed: whatever uses the registry must show them.
   */
  public List<String> warnings() {
    return verification.warnings().stream().map(c -> c.id() + ": " + c.detail()).toList();
  }

  /** The registry roots the caller asked for by id; empty unless the registry verified. */
  public List<X509Certificate> extraAnchors() {
    return extraAnchors;
  }

  /**
   * The registry checks followed by {@code image.match} for {@code result}: the document must have
   * verified and its PCRs must be those of an active image valid at the document's timestamp.
   */
  public RegistryReport evaluate(VerificationResult result) {
    List<RegistryCheck> checks = new ArrayList<>(verification.checks());
    Optional<AttestationDocument> doc = result.decodedUnverified();
    if (verification.verifiedRegistry().isEmpty()) {
      checks.add(skip("not checked: the registry did not verify"));
      return new RegistryReport(checks, null);
    }
    if (doc.isEmpty() || !result.verified()) {
      checks.add(
          skip("not checked: the attestation document did not verify, so its PCRs mean nothing"));
      return new RegistryReport(checks, null);
    }
    ImageMatch match =
        new ImageMatcher(verification.verifiedRegistry().get())
            .match(doc.get().pcrs(), doc.get().timestamp());
    checks.add(
        new RegistryCheck(
            RegistryCheck.IMAGE_MATCH,
            match.matched() ? CheckStatus.PASS : CheckStatus.FAIL,
            match.detail()));
    return new RegistryReport(
        checks, match.matched() ? RegistryJson.imageNode(match.image().orElseThrow()) : null);
  }

  private static RegistryCheck skip(String detail) {
    return new RegistryCheck(RegistryCheck.IMAGE_MATCH, CheckStatus.SKIP, detail);
  }
}
