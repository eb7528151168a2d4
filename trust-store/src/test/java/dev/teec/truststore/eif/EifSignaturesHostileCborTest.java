package dev.teec.truststore.eif;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The EIF signature section's CBOR reader is the bounded one: hostile numbers and nesting are
 * rejected as a malformed section, never expanded.
 */
class EifSignaturesHostileCborTest {
  @Test
  void firstEntry_decimalFractionWithHugeExponent_isRejected() {
    // [tag 4 [exponent 2^31-1, mantissa 1]]
    byte[] section = {
      (byte) 0x81, (byte) 0xc4, (byte) 0x82, 0x1a, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1
    };
    assertThatThrownBy(() -> EifSignatures.firstEntry(section, 100))
        .isInstanceOf(EifFormatException.class)
        .hasMessageContaining("signature section is not CBOR");
  }

  @Test
  void firstEntry_deepNesting_isRejected() {
    byte[] section = new byte[201]; // 200 arrays of one element around the integer 0
    Arrays.fill(section, 0, 200, (byte) 0x81);
    assertThatThrownBy(() -> EifSignatures.firstEntry(section, 100))
        .isInstanceOf(EifFormatException.class)
        .hasMessageContaining("nesting depth");
  }
}
