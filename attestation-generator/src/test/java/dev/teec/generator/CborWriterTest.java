package dev.teec.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CborWriterTest {

  @ParameterizedTest
  @CsvSource({
    "0, 00",
    "23, 17",
    "24, 1818",
    "255, 18ff",
    "256, 190100",
    "65535, 19ffff",
    "65536, 1a00010000",
    "4294967296, 1b0000000100000000",
    "-1, 20",
    "-7, 26",
    "-35, 3822",
    "-256, 38ff",
    "-257, 390100"
  })
  void integer_usesShortestHead(long value, String hex) {
    assertThat(hex(CborWriter.integer(value))).isEqualTo(hex);
    assertThat(CBORObject.DecodeFromBytes(CborWriter.integer(value).encode()).AsInt64Value())
        .isEqualTo(value);
  }

  @Test
  void es384ProtectedHeader_isTheAwsBytes() {
    assertThat(hex(DocumentSpec.ES384_PROTECTED_HEADER)).isEqualTo("a1013822");
  }

  @Test
  void map_keepsDuplicateKeysAndOrder() {
    CborWriter.Item map =
        CborWriter.map(
            CborWriter.entry(2, CborWriter.nul()),
            CborWriter.entry(1, CborWriter.integer(1)),
            CborWriter.entry(1, CborWriter.integer(2)));

    assertThat(hex(map)).isEqualTo("a302f601010102");
  }

  @Test
  void indefiniteMap_isFramedByBfAndFf() {
    assertThat(
            hex(
                CborWriter.indefiniteMap(
                    List.of(CborWriter.entry("a", CborWriter.bytes(new byte[] {1}))))))
        .isEqualTo("bf61614101ff");
  }

  @Test
  void stringsAndArrays_haveLengthHeads() {
    assertThat(hex(CborWriter.bytes(new byte[24]))).startsWith("5818");
    assertThat(hex(CborWriter.text("Signature1"))).isEqualTo("6a5369676e617475726531");
    assertThat(hex(CborWriter.array(CborWriter.nul(), CborWriter.raw(new byte[] {(byte) 0xa0}))))
        .isEqualTo("82f6a0");
  }

  @Test
  void tagged_nestsOutermostFirst() {
    assertThat(hex(CborWriter.tagged(18, CborWriter.tagged(98, CborWriter.array()))))
        .isEqualTo("d2d86280");
  }

  private static String hex(CborWriter.Item item) {
    return HexFormat.of().formatHex(item.encode());
  }
}
