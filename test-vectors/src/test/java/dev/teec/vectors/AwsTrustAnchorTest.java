package dev.teec.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.VerificationTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Simulated documents must never pass as real ones: the test root is not the AWS root. */
class AwsTrustAnchorTest {

  @Test
  void validDocument_withDefaultAwsTrustAnchors_failsRootPinned() {
    Instant at =
        Instant.parse(CommittedVectors.expected("valid-document").get("verifyAt").AsString());
    AttestationVerifier verifier =
        AttestationVerifier.builder().clock(Clock.fixed(at, ZoneOffset.UTC)).build();

    VerificationResult result =
        verifier.verify(
            CommittedVectors.document("valid-document"),
            VerificationOptions.builder().time(VerificationTime.at(at)).build());

    assertThat(result.verified()).isFalse();
    assertThat(result.failures()).containsExactly(CheckId.CHAIN_ROOT_PINNED);
  }
}
