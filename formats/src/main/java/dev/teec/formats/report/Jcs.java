package dev.teec.formats.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for Jackson trees, restricted to integers.
 *
 * <p>Guarantees: object members sorted by the UTF-16 code units of their names, no whitespace,
 * strings escaped exactly as RFC 8785 section 3.2.2.2 prescribes (only {@code \" \\ \b \f \n \r \t}
 * and lowercase <code>&#92;u00XX</code> for the remaining control characters; everything else
 * literal), output encoded as UTF-8. Numbers are accepted only when their value is an integer
 * within ±(2<sup>53</sup>−1), and are written as plain decimal integers, which is what ECMAScript's
 * Number serialization produces for such values (so {@code -0.0} and {@code 2.0} become {@code 0}
 * and {@code 2}). Anything else, including NaN, infinities, lone surrogates and non-JSON nodes
 * (binary, POJO, missing), is rejected with a {@link JcsException} naming its path rather than
 * being serialised differently from RFC 8785.
 */
public final class Jcs {
  /** Largest integer that an IEEE 754 double, and so an ECMAScript Number, holds exactly. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  /** Containers nested deeper than this are rejected, so hostile trees cannot exhaust the stack. */
  public static final int MAX_DEPTH = 128;

  private static final BigInteger MAX_SAFE = BigInteger.valueOf(MAX_SAFE_INTEGER);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Jcs() {}

  /**
   * Returns the canonical UTF-8 bytes of {@code node}.
   *
   * @throws JcsException if the tree has no canonical form in this profile
   */
  public static byte[] canonicalize(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, "$", 0, out);
    // Lone surrogates were rejected while writing, so the UTF-8 encoding below is lossless.
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode node, String path, int depth, StringBuilder out) {
    if (node == null) {
      throw new JcsException(path, "null reference (use a JSON null node)");
    }
    switch (node.getNodeType()) {
      case NULL -> out.append("null");
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case NUMBER -> out.append(integer(node, path));
      case STRING -> writeString(node.textValue(), path, out);
      case ARRAY -> {
        checkDepth(path, depth);
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), path + "[" + i + "]", depth + 1, out);
        }
        out.append(']');
      }
      case OBJECT -> {
        checkDepth(path, depth);
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
        // String.compareTo compares UTF-16 code units as unsigned values: exactly RFC 8785 3.2.3.
        members.sort(Map.Entry.comparingByKey());
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> member : members) {
          if (!first) {
            out.append(',');
          }
          first = false;
          String childPath = path + "." + member.getKey();
          writeString(member.getKey(), childPath, out);
          out.append(':');
          write(member.getValue(), childPath, depth + 1, out);
        }
        out.append('}');
      }
      default ->
          throw new JcsException(
              path,
              "a " + node.getNodeType() + " node is not a JSON value and has no canonical form");
    }
  }

  private static void checkDepth(String path, int depth) {
    if (depth >= MAX_DEPTH) {
      throw new JcsException(path, "nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private static String integer(JsonNode node, String path) {
    BigInteger value;
    if (node.isIntegralNumber()) {
      value = node.bigIntegerValue();
    } else if (node.isDouble() || node.isFloat()) {
      double d = node.doubleValue();
      if (!Double.isFinite(d)) {
        throw new JcsException(path, "NaN and infinities are not JSON numbers");
      }
      if (d != Math.rint(d)) {
        throw new JcsException(
            path, "number " + d + " is not an integer; teec's canonical JSON has integers only");
      }
      value = new BigDecimal(d).toBigIntegerExact();
    } else if (node.isBigDecimal()) {
      BigDecimal d = node.decimalValue();
      try {
        value = d.toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw new JcsException(
            path,
            "number "
                + d.toPlainString()
                + " is not an integer; teec's canonical JSON has integers only");
      }
    } else {
      throw new JcsException(path, "unsupported number node " + node.getClass().getSimpleName());
    }
    if (value.abs().compareTo(MAX_SAFE) > 0) {
      throw new JcsException(
          path,
          "integer "
              + value
              + " is outside ±(2^53-1), where ECMAScript numbers (and so RFC 8785) lose precision");
    }
    return value.toString();
  }

  private static void writeString(String s, String path, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
              throw loneSurrogate(path, c, i);
            }
            out.append(c).append(s.charAt(++i));
          } else if (Character.isLowSurrogate(c)) {
            throw loneSurrogate(path, c, i);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static JcsException loneSurrogate(String path, char c, int index) {
    return new JcsException(
        path,
        String.format(
            "string has a lone surrogate U+%04X at index %d; I-JSON (RFC 7493) strings must be valid"
                + " Unicode",
            (int) c, index));
  }
}
