package dev.teec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * A strict, bounded reader of JSON (or CBOR, {@link BoundedCbor}) documents into Jackson trees: the
 * one place where teec configures how input is parsed, so that no reader is left unbounded.
 *
 * <p>Strict: duplicate member names and anything after the value are errors; decimals are kept as
 * {@link BigDecimal} exactly as written (never rounded to a double, never normalised). Bounded, by
 * its {@link JsonLimits}: the document's size is checked before parsing; nesting, number length and
 * string and name lengths while parsing (Jackson's {@link StreamReadConstraints}); and before the
 * tree is returned, every decimal's exponent and every integer's size. A number such as {@code
 * 1e999999999} is therefore rejected instead of being handed to code that might expand it to a
 * billion digits ({@code BigDecimal.toBigInteger()}, {@code toPlainString()}).
 *
 * <p>Every problem is a {@link com.fasterxml.jackson.core.JacksonException} (an {@link
 * IOException}) with a message saying what and where. Instances are immutable and thread-safe.
 */
public final class BoundedJson {
  private final JsonLimits limits;
  private final ObjectMapper mapper;

  BoundedJson(JsonLimits limits, ObjectMapper mapper) {
    this.limits = limits;
    this.mapper = mapper;
  }

  /** A JSON reader with these limits. */
  public static BoundedJson json(JsonLimits limits) {
    Objects.requireNonNull(limits, "limits");
    JsonFactory factory = JsonFactory.builder().streamReadConstraints(constraints(limits)).build();
    return new BoundedJson(limits, strict(JsonMapper.builder(factory)).build());
  }

  /**
   * The parser constraints for these limits, for readers that stream tokens themselves; such a
   * reader must bound decimal exponents itself, or not accept decimals.
   */
  public static StreamReadConstraints constraints(JsonLimits limits) {
    return StreamReadConstraints.builder()
        .maxDocumentLength(limits.maxBytes())
        .maxNestingDepth(limits.maxNesting())
        .maxNumberLength(limits.maxNumberLength())
        .maxStringLength(limits.maxStringLength())
        .maxNameLength(limits.maxNameLength())
        .build();
  }

  /** The strict settings every bounded mapper has, JSON or CBOR. */
  static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B strict(B builder) {
    return builder
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        // Normalising would run stripTrailingZeros on input before the bounds are checked.
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
  }

  /** This reader's limits. */
  public JsonLimits limits() {
    return limits;
  }

  /**
   * Parses one document.
   *
   * @return the tree; Jackson's missing node for empty input
   * @throws StreamConstraintsException if the document breaks a limit
   * @throws IOException (a {@link com.fasterxml.jackson.core.JacksonException}) if it is not one
   *     well-formed document
   */
  public JsonNode read(byte[] document) throws IOException {
    if (document.length > limits.maxBytes()) {
      throw new StreamConstraintsException(
          "document of "
              + document.length
              + " bytes exceeds the limit of "
              + limits.maxBytes()
              + " bytes");
    }
    JsonNode root;
    try {
      root = mapper.readTree(document);
    } catch (NumberFormatException | ArithmeticException e) {
      // Jackson lets these escape for numbers it cannot represent, such as 1e99999999999999999999.
      StreamConstraintsException x =
          new StreamConstraintsException("a number cannot be read: " + e.getMessage());
      x.initCause(e);
      throw x;
    }
    if (root != null) {
      checkNumbers(root, new ArrayDeque<>());
    }
    return root;
  }

  /**
   * Reads at most the size limit plus one byte from {@code in} and parses them as {@link
   * #read(byte[])} does; the stream is not closed.
   */
  public JsonNode read(InputStream in) throws IOException {
    return read(in.readNBytes(limits.maxBytes() + 1));
  }

  /**
   * Rejects decimals whose exponent, and integers whose size, exceed the limits. The path is kept
   * as a stack of segments and joined only for the message, so that deep trees with long names cost
   * no more than their size.
   */
  private void checkNumbers(JsonNode node, Deque<Object> path) throws StreamConstraintsException {
    if (node.isBigDecimal()) {
      BigDecimal d = node.decimalValue();
      if (Math.abs((long) d.scale()) > limits.maxExponent()
          || d.precision() > limits.maxNumberLength()) {
        throw new StreamConstraintsException(
            "number at "
                + join(path)
                + " has "
                + d.precision()
                + " digits and exponent "
                + -(long) d.scale()
                + "; allowed are at most "
                + limits.maxNumberLength()
                + " digits and exponents within \u00b1"
                + limits.maxExponent());
      }
    } else if (node.isBigInteger()) {
      BigInteger i = node.bigIntegerValue();
      // 3.33 bits per decimal digit, rounded up.
      if (i.bitLength() > limits.maxNumberLength() * 10L / 3 + 1) {
        throw new StreamConstraintsException(
            "integer at "
                + join(path)
                + " has "
                + i.bitLength()
                + " bits, more than "
                + limits.maxNumberLength()
                + " decimal digits");
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        path.addLast(i);
        checkNumbers(node.get(i), path);
        path.removeLast();
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        path.addLast(e.getKey());
        checkNumbers(e.getValue(), path);
        path.removeLast();
      }
    }
  }

  private static String join(Deque<Object> path) {
    StringBuilder sb = new StringBuilder("$");
    for (Object segment : path) {
      if (segment instanceof Integer i) {
        sb.append('[').append(i).append(']');
      } else {
        sb.append('.').append(segment);
      }
      if (sb.length() > 200) {
        return sb.substring(0, 200) + "...";
      }
    }
    return sb.toString();
  }
}
