package dev.teec.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tamper tests over the real documents: a document with one bit flipped is rejected. The unmodified
 * document is verified first, so a rejection can only come from the change.
 *
 * <p>The default suite flips one bit of every byte (bit {@code i % 8} of byte {@code i}, so every
 * bit position of a byte is exercised across a document); the {@code exhaustive} tier ({@code mvn
 * -B -P exhaustive -pl verifier-core test}, run by {@code .ci/run}) flips every bit of every byte,
 * eight times the work.
 */
class BitFlipTest {
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
  void oneBitOfEveryByteFlipped_isRejected(JsonNode entry) {
    byte[] original = verifiedOriginal(entry);
    List<Integer> accepted =
        acceptedFlips(original, IntStream.range(0, original.length).map(i -> i * 8 + i % 8));
    assertThat(accepted).as("bit positions whose flip was still accepted").isEmpty();
  }

  @Tag("exhaustive")
  @ParameterizedTest
  @MethodSource("realDocuments")
  void everyBitOfEveryByteFlipped_isRejected(JsonNode entry) {
    byte[] original = verifiedOriginal(entry);
    List<Integer> accepted = acceptedFlips(original, IntStream.range(0, original.length * 8));
    assertThat(accepted).as("bit positions whose flip was still accepted").isEmpty();
  }

  private byte[] verifiedOriginal(JsonNode entry) {
    SharedVectors.assumePresent();
    byte[] original = SharedVectors.read(entry.get("file").asText());
    assertThat(verifier.verify(original, atDocumentTime).verified()).isTrue();
    return original;
  }

  /** The bit positions (byte * 8 + bit) among {@code bits} whose flip still verifies. */
  private List<Integer> acceptedFlips(byte[] original, IntStream bits) {
    return bits.parallel()
        .filter(
            bit -> {
              byte[] mutated = original.clone();
              mutated[bit / 8] ^= (byte) (1 << (bit % 8));
              return verifier.verify(mutated, atDocumentTime).verified();
            })
        .boxed()
        .toList();
  }
}
