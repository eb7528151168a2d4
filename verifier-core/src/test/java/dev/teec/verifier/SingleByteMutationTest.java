package dev.teec.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exhaustive tamper test: for every real document and every byte position, flipping one bit gives a
 * document that is rejected. The unmodified document is verified first, so a rejection can only
 * come from the change.
 */
class SingleByteMutationTest {
  private final AttestationVerifier verifier =
      AttestationVerifier.builder().clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).build();

  private final VerificationOptions atDocumentTime =
      VerificationOptions.builder()
          .time(VerificationTime.document())
          .policy(Policy.builder().allowDebug().build())
          .build();

  static Stream<Arguments> realDocuments() {
    return SharedVectors.manifestArguments("real");
  }

  @ParameterizedTest
  @MethodSource("realDocuments")
  void everySingleBitFlip_isRejected(JsonNode entry) {
    SharedVectors.assumePresent();
    byte[] original = SharedVectors.read(entry.get("file").asText());
    assertThat(verifier.verify(original, atDocumentTime).verified()).isTrue();

    // Alternate which bit is flipped so that every bit position of a byte is exercised across
    // the document.
    List<Integer> accepted =
        IntStream.range(0, original.length)
            .parallel()
            .filter(
                i -> {
                  byte[] mutated = original.clone();
                  mutated[i] ^= (byte) (1 << (i % 8));
                  return verifier.verify(mutated, atDocumentTime).verified();
                })
            .boxed()
            .toList();
    assertThat(accepted).as("byte positions whose bit flip was still accepted").isEmpty();
  }
}
