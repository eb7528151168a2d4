package dev.teec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.json.hostile.HostileJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The bounds every teec reader inherits: each attack is rejected with a {@link
 * StreamConstraintsException} (so a caller's catch of Jackson exceptions reports it) and without
 * expanding the hostile value.
 */
class BoundedJsonTest {
  private static final JsonLimits LIMITS = JsonLimits.of(1 << 20).withMaxStringLength(1000);
  private static final BoundedJson JSON = BoundedJson.json(LIMITS);

  private static JsonNode read(String json) throws IOException {
    return JSON.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void read_hugeExponent_isRejectedUnexpanded() {
    assertThatThrownBy(() -> read("{\"a\":{\"b\":[" + HostileJson.HUGE_EXPONENT + "]}}"))
        .isInstanceOf(StreamConstraintsException.class)
        .hasMessageContaining("$.a.b[0]")
        .hasMessageContaining("exponent 999999999");
    assertThatThrownBy(() -> read("[1E-999999999]"))
        .isInstanceOf(StreamConstraintsException.class)
        .hasMessageContaining("exponent -999999999");
  }

  @Test
  void read_exponentBeyondAnInt_isRejected() {
    assertThatThrownBy(() -> read("[1e99999999999999999999]")).isInstanceOf(JacksonException.class);
  }

  @Test
  void read_hugeDigits_areRejected() {
    assertThatThrownBy(() -> read("[" + HostileJson.HUGE_DIGITS + "]"))
        .isInstanceOf(StreamConstraintsException.class);
    assertThatThrownBy(() -> read("[0." + "9".repeat(1001) + "]"))
        .isInstanceOf(StreamConstraintsException.class);
  }

  @Test
  void read_numbersWithinTheBounds_areKeptExactly() throws IOException {
    JsonNode n = read("[1e15, 2.50, 12345678901234567890123]");
    assertThat(n.get(0).decimalValue()).isEqualTo(new BigDecimal("1e15"));
    assertThat(n.get(1).decimalValue().scale()).isEqualTo(2);
    assertThat(n.get(2).isBigInteger()).isTrue();
  }

  @Test
  void read_deepNesting_isRejected() {
    assertThatThrownBy(() -> read(HostileJson.nested(65)))
        .isInstanceOf(StreamConstraintsException.class);
  }

  @Test
  void read_hugeStringAndName_areRejected() {
    assertThatThrownBy(() -> read("{\"a\":" + HostileJson.string(1001) + "}"))
        .isInstanceOf(StreamConstraintsException.class);
    BoundedJson shortNames = BoundedJson.json(new JsonLimits(1 << 20, 64, 100, 1000, 1 << 20, 100));
    assertThatThrownBy(
            () ->
                shortNames.read(
                    ("{\"" + "k".repeat(101) + "\":1}").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(StreamConstraintsException.class);
  }

  @Test
  void read_documentOverTheSize_isRejectedBeforeParsing() {
    BoundedJson small = BoundedJson.json(JsonLimits.of(16));
    assertThatThrownBy(() -> small.read("{\"a\":\"0123456789\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(StreamConstraintsException.class)
        .hasMessageContaining("exceeds the limit of 16 bytes");
    assertThatThrownBy(() -> small.read(new ByteArrayInputStream(new byte[1 << 20])))
        .isInstanceOf(StreamConstraintsException.class);
  }

  @Test
  void read_duplicateKeysAndTrailingContent_areRejected() {
    assertThatThrownBy(() -> read("{\"a\":1,\"a\":2}")).isInstanceOf(JacksonException.class);
    assertThatThrownBy(() -> read("{} {}")).isInstanceOf(JacksonException.class);
  }

  @Test
  void cbor_decimalFractionWithHugeExponent_isRejected() {
    // tag 4 [exponent 2^31-1 as uint32, mantissa 1]
    byte[] cbor = {
      (byte) 0xc4, (byte) 0x82, 0x1a, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01
    };
    assertThatThrownBy(() -> BoundedCbor.reader(LIMITS).read(cbor))
        .isInstanceOf(JacksonException.class);
  }

  @Test
  void cbor_hugeBignum_isRejected() {
    // tag 2 (positive bignum) around a byte string of 600 bytes (0x0258): 1,445 decimal digits
    byte[] document = Arrays.copyOf(new byte[] {(byte) 0xc2, 0x59, 0x02, 0x58}, 4 + 600);
    Arrays.fill(document, 4, document.length, (byte) 0xff);
    assertThatThrownBy(() -> BoundedCbor.reader(LIMITS).read(document))
        .isInstanceOf(JacksonException.class);
  }

  @Test
  void cbor_deepNesting_isRejected() {
    byte[] document = new byte[71]; // 70 arrays of one element around the integer 0
    Arrays.fill(document, 0, 70, (byte) 0x81);
    assertThatThrownBy(() -> BoundedCbor.reader(LIMITS).read(document))
        .isInstanceOf(StreamConstraintsException.class);
  }
}
