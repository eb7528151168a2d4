package dev.teec.formats.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JcsTest {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static String canon(String json) throws Exception {
    return new String(Jcs.canonicalize(JSON.readTree(json)), StandardCharsets.UTF_8);
  }

  // RFC 8785 section 3.2.2 example, without the "numbers" member (teec's profile has integers
  // only; the non-integers are covered by the rejection tests below).
  @Test
  void canonicalize_rfc8785StringAndLiteralsExample_matchesPublishedOutput() throws Exception {
    String input =
        "{\n  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
            + "  \"literals\": [null, true, false]\n}";
    String expected =
        "{\"literals\":[null,true,false],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
    assertThat(canon(input)).isEqualTo(expected);
  }

  // RFC 8785 section 3.2.3: sorting by UTF-16 code units puts U+1F600 (D83D DE00) before U+FB33.
  @Test
  void canonicalize_rfc8785SortingExample_ordersByUtf16CodeUnits() throws Exception {
    String input =
        "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\","
            + " \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\","
            + " \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
            + " \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
    String expected =
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
            + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
            + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
    assertThat(canon(input)).isEqualTo(expected);
  }

  // RFC 8785 section 3.2.4: no Unicode normalisation; the published UTF-8 bytes.
  @Test
  void canonicalize_rfc8785Utf8Example_matchesPublishedBytes() throws Exception {
    byte[] out = Jcs.canonicalize(JSON.readTree("{\n  \"Unnormalized Unicode\":\"A\\u030a\"\n}"));
    assertThat(HexFormat.of().formatHex(out))
        .isEqualTo("7b22556e6e6f726d616c697a656420556e69636f6465223a2241cc8a227d");
  }

  @Test
  void canonicalize_nestedObjectsAndArrays_sortsEveryLevelAndKeepsArrayOrder() throws Exception {
    assertThat(canon("{ \"z\" : {\"b\":[3, 1, {\"y\":1,\"x\":2}], \"a\":{}}, \"a\" : [ ] }"))
        .isEqualTo("{\"a\":[],\"z\":{\"a\":{},\"b\":[3,1,{\"x\":2,\"y\":1}]}}");
  }

  @Test
  void canonicalize_nonAsciiKeys_sortByCodeUnitNotByLocale() throws Exception {
    // 'Z' (5A) < 'a' (61) < 'z' (7A) < 'é' (E9) < 'ž' (17E) < '中' (4E2D)
    assertThat(canon("{\"\u4e2d\":6,\"\u017e\":5,\"\u00e9\":4,\"z\":3,\"a\":2,\"Z\":1}"))
        .isEqualTo("{\"Z\":1,\"a\":2,\"z\":3,\"\u00e9\":4,\"\u017e\":5,\"\u4e2d\":6}");
  }

  @Test
  void canonicalize_keyThatIsPrefixOfAnother_sortsFirst() throws Exception {
    assertThat(canon("{\"ab\":1,\"a\":2,\"a\\u0000\":3}"))
        .isEqualTo("{\"a\":2,\"a\\u0000\":3,\"ab\":1}");
  }

  @Test
  void canonicalize_surrogatePair_isWrittenAsLiteralFourByteUtf8() throws Exception {
    byte[] out = Jcs.canonicalize(TextNode.valueOf("\ud83d\ude00"));
    assertThat(HexFormat.of().formatHex(out)).isEqualTo("22f09f988022");
  }

  @Test
  void canonicalize_everyControlCharacter_usesShortEscapeOrLowercaseUnicodeEscape() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      all.append(c);
    }
    String out =
        new String(Jcs.canonicalize(TextNode.valueOf(all.toString())), StandardCharsets.UTF_8);
    assertThat(out)
        .isEqualTo(
            "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
                + "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
                + "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
  }

  @Test
  void canonicalize_delSlashAndLineSeparators_areLiteral() {
    String out =
        new String(
            Jcs.canonicalize(TextNode.valueOf("\u007f/\u2028\u2029<>&'")), StandardCharsets.UTF_8);
    assertThat(out).isEqualTo("\"\u007f/\u2028\u2029<>&'\"");
  }

  @Test
  void canonicalize_quoteAndBackslash_areEscaped() {
    assertThat(new String(Jcs.canonicalize(TextNode.valueOf("a\"b\\c")), StandardCharsets.UTF_8))
        .isEqualTo("\"a\\\"b\\\\c\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\ud800", "a\udc00b", "\ude00\ud83d", "x\ud83d"})
  void canonicalize_loneSurrogate_isRejected(String s) {
    ObjectNode node = NODES.objectNode();
    node.put("k", s);
    assertThatThrownBy(() -> Jcs.canonicalize(node))
        .isInstanceOf(JcsException.class)
        .hasMessageContaining("$.k")
        .hasMessageContaining("lone surrogate");
  }

  @Test
  void canonicalize_loneSurrogateInKey_isRejected() {
    ObjectNode node = NODES.objectNode();
    node.put("\udc00", 1);
    assertThatThrownBy(() -> Jcs.canonicalize(node)).hasMessageContaining("lone surrogate");
  }

  @Test
  void canonicalize_integers_areWrittenAsPlainDecimal() throws Exception {
    assertThat(canon("[0, -0, 1, -1, 42, 9007199254740991, -9007199254740991]"))
        .isEqualTo("[0,0,1,-1,42,9007199254740991,-9007199254740991]");
  }

  @Test
  void canonicalize_integralFloatingValues_areWrittenAsEcmaScriptDoes() {
    var array = NODES.arrayNode();
    array.add(DoubleNode.valueOf(-0.0));
    array.add(DoubleNode.valueOf(2.0));
    array.add(FloatNode.valueOf(-3.0f));
    array.add(DecimalNode.valueOf(new BigDecimal("4.000")));
    array.add(DecimalNode.valueOf(new BigDecimal("5E+1")));
    // RFC 8785 appendix B: 0x433fffffffffffff is 9007199254740991.
    array.add(DoubleNode.valueOf(Double.longBitsToDouble(0x433fffffffffffffL)));
    assertThat(new String(Jcs.canonicalize(array), StandardCharsets.UTF_8))
        .isEqualTo("[0,2,-3,4,50,9007199254740991]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"4.50", "2e-3", "333333333.33333329", "0.000000000000000000000000001", "-0.5"})
  void canonicalize_nonIntegralNumber_isRejectedNotRounded(String number) throws Exception {
    JsonNode tree =
        JsonMapper.builder()
            .enable(
                com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build()
            .readTree("{\"n\":" + number + "}");
    assertThatThrownBy(() -> Jcs.canonicalize(tree))
        .isInstanceOf(JcsException.class)
        .hasMessageContaining("$.n")
        .hasMessageContaining("not an integer");
  }

  @Test
  void canonicalize_nonIntegralDouble_isRejected() {
    assertThatThrownBy(() -> Jcs.canonicalize(DoubleNode.valueOf(0.1)))
        .hasMessageContaining("not an integer");
  }

  @Test
  void canonicalize_integersBeyondTwoToThe53Minus1_areRejected() throws Exception {
    // 2^53 is the first integer an ECMAScript number cannot tell from its neighbour (appendix B).
    for (String n :
        new String[] {"9007199254740992", "-9007199254740992", "18446744073709551616"}) {
      JsonNode tree = JSON.readTree("[" + n + "]");
      assertThatThrownBy(() -> Jcs.canonicalize(tree))
          .as(n)
          .isInstanceOf(JcsException.class)
          .hasMessageContaining("$[0]")
          .hasMessageContaining("outside");
    }
    assertThatThrownBy(() -> Jcs.canonicalize(DoubleNode.valueOf(1e30)))
        .hasMessageContaining("outside");
    assertThatThrownBy(() -> Jcs.canonicalize(LongNode.valueOf(Long.MIN_VALUE)))
        .hasMessageContaining("outside");
    assertThatThrownBy(() -> Jcs.canonicalize(NODES.numberNode(BigInteger.ONE.shiftLeft(53))))
        .hasMessageContaining("outside");
  }

  @Test
  void canonicalize_nanAndInfinity_areRejected() {
    assertThatThrownBy(() -> Jcs.canonicalize(DoubleNode.valueOf(Double.NaN)))
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> Jcs.canonicalize(DoubleNode.valueOf(Double.NEGATIVE_INFINITY)))
        .hasMessageContaining("infinities");
  }

  @Test
  void canonicalize_nonJsonNodes_areRejected() {
    assertThatThrownBy(() -> Jcs.canonicalize(BinaryNode.valueOf(new byte[] {1})))
        .isInstanceOf(JcsException.class)
        .hasMessageContaining("no canonical form");
    assertThatThrownBy(() -> Jcs.canonicalize(NODES.pojoNode(new Object())))
        .hasMessageContaining("no canonical form");
    assertThatThrownBy(() -> Jcs.canonicalize(NODES.missingNode()))
        .hasMessageContaining("no canonical form");
  }

  @Test
  void canonicalize_deepNesting_isRejectedWithPath() {
    JsonNode node = NODES.numberNode(1);
    for (int i = 0; i < Jcs.MAX_DEPTH + 1; i++) {
      node = NODES.arrayNode().add(node);
    }
    JsonNode deep = node;
    assertThatThrownBy(() -> Jcs.canonicalize(deep)).hasMessageContaining("nested deeper");
    JsonNode ok = NODES.numberNode(1);
    for (int i = 0; i < Jcs.MAX_DEPTH; i++) {
      ok = NODES.arrayNode().add(ok);
    }
    assertThat(Jcs.canonicalize(ok)).hasSize(2 * Jcs.MAX_DEPTH + 1);
  }

  @Test
  void canonicalize_canonicalOutput_isAFixedPoint() throws Exception {
    String first = canon("{\"b\":\"\\u00e9\\t\",\"a\":[1,{\"d\":null,\"c\":true}]}");
    assertThat(canon(first)).isEqualTo(first);
  }
}
