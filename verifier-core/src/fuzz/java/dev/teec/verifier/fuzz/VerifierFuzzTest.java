package dev.teec.verifier.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Check;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.Policy;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.VerificationTime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link AttestationVerifier#verify(byte[], VerificationOptions)}, which is documented to
 * never throw for bad input: any exception escaping it is a finding. On every input it also checks:
 *
 * <ul>
 *   <li>the result lists every {@link CheckId} exactly once, in declaration order;
 *   <li>{@code verified()} holds exactly when no check failed, and {@code verifiedAttestation()} is
 *       present exactly then;
 *   <li>a verified result has PASS for the checks the security guarantee rests on (root pinned,
 *       chain signatures, validity, COSE signature) and a decoded document;
 *   <li>the certificate cache never changes an outcome: a verifier with {@code cacheEntries(0)}
 *       reports the same status for every check as a warm, cached one.
 * </ul>
 *
 * <p>Each input is verified against the pinned AWS root and against the simulated root of the
 * committed test vectors (so mutations of those documents reach chain, signature and policy code),
 * with T = the document's timestamp, and once more with a fixed T, freshness bounds and the
 * valid-policy-match policy. The clock is fixed at the vectors' base instant.
 *
 * <p>Seeds: {@code src/fuzz/resources/dev/teec/verifier/fuzz/VerifierFuzzTestInputs/verify/}
 * (copies of test-vectors/vectors/&#42;/document.cbor, refreshed by {@code sync-seeds.py}).
 */
class VerifierFuzzTest {
  /** verifyAt of the committed vectors (Scenarios.DEFAULT_BASE). */
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00.417Z");

  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TrustAnchors SIMULATED_ROOT = anchors("simulated-root.pem");

  private static final AttestationVerifier AWS = AttestationVerifier.builder().clock(CLOCK).build();
  private static final AttestationVerifier SIMULATED =
      AttestationVerifier.builder().clock(CLOCK).trustAnchors(SIMULATED_ROOT).build();
  private static final AttestationVerifier SIMULATED_UNCACHED =
      AttestationVerifier.builder()
          .clock(CLOCK)
          .trustAnchors(SIMULATED_ROOT)
          .cacheEntries(0)
          .build();

  private static final VerificationOptions AT_DOCUMENT =
      VerificationOptions.builder().time(VerificationTime.document()).build();
  private static final VerificationOptions STRICT =
      VerificationOptions.builder()
          .time(VerificationTime.at(NOW))
          .maxAge(Duration.ofHours(1))
          .maxFutureSkew(Duration.ofMinutes(5))
          .policy(policy("policy-match.json"))
          .build();

  private static final List<CheckId> ALL_CHECKS = List.of(CheckId.values());
  private static final List<CheckId> GUARANTEE =
      List.of(
          CheckId.CHAIN_ROOT_PINNED,
          CheckId.CHAIN_SIGNATURES,
          CheckId.CHAIN_VALIDITY,
          CheckId.COSE_SIGNATURE);

  @FuzzTest(maxDuration = "120s")
  void verify(byte[] document) {
    byte[] copy = document.clone();
    check("aws/document-time", AWS.verify(document, AT_DOCUMENT));
    VerificationResult cached =
        check("simulated/document-time", SIMULATED.verify(document, AT_DOCUMENT));
    VerificationResult uncached =
        check("simulated-uncached/document-time", SIMULATED_UNCACHED.verify(document, AT_DOCUMENT));
    if (!statuses(cached).equals(statuses(uncached))) {
      throw new AssertionError(
          "the certificate cache changed the outcome: cached "
              + statuses(cached)
              + " vs uncached "
              + statuses(uncached));
    }
    check("simulated/strict", SIMULATED.verify(document, STRICT));
    if (!Arrays.equals(copy, document)) {
      throw new AssertionError("verify modified its input array");
    }
  }

  /**
   * Guards the harness itself: the simulated root and the policy must make the valid seeds verify,
   * otherwise the fuzzer would never get past the chain checks.
   */
  @Test
  void setup_validSeedsVerify() throws IOException {
    byte[] valid = seed("valid-document");
    byte[] policyMatch = seed("valid-policy-match");
    requireVerified(SIMULATED.verify(valid, AT_DOCUMENT), "valid-document");
    requireVerified(SIMULATED_UNCACHED.verify(valid, AT_DOCUMENT), "valid-document (uncached)");
    requireVerified(SIMULATED.verify(policyMatch, STRICT), "valid-policy-match (strict)");
  }

  private static byte[] seed(String name) throws IOException {
    try (InputStream in = open("VerifierFuzzTestInputs/verify/" + name + ".cbor")) {
      return in.readAllBytes();
    }
  }

  private static void requireVerified(VerificationResult r, String what) {
    if (!r.verified()) {
      throw new AssertionError(what + " does not verify: " + r.failedChecks());
    }
  }

  private static VerificationResult check(String what, VerificationResult r) {
    if (r == null) {
      throw new AssertionError(what + ": verify returned null");
    }
    List<CheckId> ids = r.checks().stream().map(Check::id).toList();
    if (!ids.equals(ALL_CHECKS)) {
      throw new AssertionError(
          what + ": checks are not every CheckId exactly once in order: " + ids);
    }
    boolean anyFail = r.checks().stream().anyMatch(c -> c.status() == CheckStatus.FAIL);
    if (r.verified() == anyFail) {
      throw new AssertionError(
          what + ": verified=" + r.verified() + " but failures=" + r.failures());
    }
    if (r.verifiedAttestation().isPresent() != r.verified()) {
      throw new AssertionError(what + ": verifiedAttestation presence disagrees with verified()");
    }
    if (r.verified()) {
      for (CheckId id : GUARANTEE) {
        if (r.check(id).status() != CheckStatus.PASS) {
          throw new AssertionError(what + ": verified although " + id + " is " + r.check(id));
        }
      }
      if (r.decodedUnverified().isEmpty() || r.verifiedAt().isEmpty()) {
        throw new AssertionError(what + ": verified without a decoded document or instant");
      }
    }
    return r;
  }

  private static List<CheckStatus> statuses(VerificationResult r) {
    return r.checks().stream().map(Check::status).toList();
  }

  private static TrustAnchors anchors(String resource) {
    try (InputStream in = open(resource)) {
      return TrustAnchors.of(TrustAnchors.readPem(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateException e) {
      throw new IllegalStateException(resource + " is not a certificate", e);
    }
  }

  private static Policy policy(String resource) {
    try (InputStream in = open(resource)) {
      return Policy.fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = VerifierFuzzTest.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(
          "missing test resource " + resource + "; run src/fuzz/sync-seeds.py");
    }
    return in;
  }
}
