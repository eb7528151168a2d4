package dev.teec.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CborTest {

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
    assertThat(hex(Cbor.integer(value))).isEqualTo(hex);
    assertThat(CBORObject.DecodeFromBytes(Cbor.integer(value).encode()).AsInt64Value())
        .isEqualTo(value);
  }

  @Test
  void es384ProtectedHeader_isTheAwsBytes() {
    assertThat(hex(DocumentSpec.ES384_PROTECTED_HEADER)).isEqualTo("a1013822");
  }

  @Test
  void map_keepsDuplicateKeysAndOrder() {
    Cbor.Item map =
        Cbor.map(
            Cbor.entry(2, Cbor.nul()),
            Cbor.entry(1, Cbor.integer(1)),
            Cbor.entry(1, Cbor.integer(2)));

    assertThat(hex(map)).isEqualTo("a302f601010102");
  }

  @Test
  void indefiniteMap_isFramedByBfAndFf() {
    assertThat(hex(Cbor.indefiniteMap(List.of(Cbor.entry("a", Cbor.bytes(new byte[] {1}))))))
        .isEqualTo("bf61614101ff");
  }

  @Test
  void stringsAndArrays_haveLengthHeads() {
    assertThat(hex(Cbor.bytes(new byte[24]))).startsWith("5818");
    assertThat(hex(Cbor.text("Signature1"))).isEqualTo("6a5369676e617475726531");
    assertThat(hex(Cbor.array(Cbor.nul(), Cbor.raw(new byte[] {(byte) 0xa0})))).isEqualTo("82f6a0");
  }

  @Test
  void tagged_nestsOutermostFirst() {
    assertThat(hex(Cbor.tagged(18, Cbor.tagged(98, Cbor.array())))).isEqualTo("d2d86280");
  }

  private static String hex(Cbor.Item item) {
    return HexFormat.of().formatHex(item.encode());
  }
}
