package dev.teec.verifier.internal.cbor;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CborScannerTest {
  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  @ParameterizedTest
  @CsvSource({
    "84 40 a0 41 00 40, false", // definite COSE-like array
    "a1 01 38 22, false", // protected header {1: -35}
    "bf 61 61 01 ff, true", // indefinite map, allowed in payloads
    "bf 61 61 bf 01 02 ff ff, true", // nested indefinite maps
    "d2 80, false", // tag 18 around an empty array
    "f6, false", // null
    "fa 3f 80 00 00, false", // float32 1.0: float heads are not lengths
    "18 18, false", // 24 needs the one-byte head
  })
  void scan_wellFormed_passes(String bytes, boolean indefiniteMaps) {
    assertThatCode(() -> CborScanner.scan(hex(bytes.replace(" ", "")), "x", indefiniteMaps))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "|is empty",
        "84 40 a0 41 00 40 00|1 byte(s) after the end",
        "9f 01 ff|indefinite length for an array",
        "5f 41 00 ff|indefinite length for a byte string",
        "7f 61 61 ff|indefinite length for a text string",
        "ff|a break outside any indefinite-length item",
        "18 05|non-shortest head at offset 0",
        "59 00 01 00|non-shortest head",
        "1c|reserved additional-information value 28",
        "43 00 01|ends inside the string",
        "19 01|ends inside the head",
        "82 01|ends where an item was expected",
        "f8 10|invalid two-byte simple value 16",
        "bf 61 61 ff|map key without a value",
        "bf 61 61 01|ends inside the indefinite-length map",
      })
  void scan_malformed_isRejectedWithTheReason(String bytes, String reason) {
    byte[] data = bytes == null ? new byte[0] : hex(bytes.replace(" ", ""));
    assertThatThrownBy(() -> CborScanner.scan(data, "x", true))
        .isInstanceOf(CborFormatException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource({"17", "18"})
  void scan_deepNesting_isRejected(int depth) {
    byte[] nested = new byte[depth + 1];
    java.util.Arrays.fill(nested, 0, depth, (byte) 0x81); // array of one element, repeatedly
    nested[depth] = 0x00;
    assertThatThrownBy(() -> CborScanner.scan(nested, "x", false))
        .isInstanceOf(CborFormatException.class)
        .hasMessageContaining("nests deeper than 16");
  }

  @org.junit.jupiter.api.Test
  void scan_indefiniteMapWhereNotAllowed_isRejected() {
    assertThatThrownBy(() -> CborScanner.scan(hex("bf616101ff"), "x", false))
        .isInstanceOf(CborFormatException.class)
        .hasMessageContaining("indefinite-length map at offset 0, which is not allowed");
  }
}
