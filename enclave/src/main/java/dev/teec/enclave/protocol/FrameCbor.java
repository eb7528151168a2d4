package dev.teec.enclave.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CBOR layer of the frame codec: frame maps to bytes and back (SPEC.md W8.2).
 *
 * <p>Decoding yields a small value model: {@link String}, {@link ByteString}, {@link Long}, {@link
 * BigInteger} (integers outside the long range, so range checks can name them), {@link Boolean},
 * {@code null}, {@link List}, {@link Map} with string keys, and {@link Unsupported} for floats and
 * simple values, which no frame uses (kept as values so the error can name the field). Tags,
 * duplicate keys, trailing bytes, more than {@link Protocol#MAX_MAP_ENTRIES} entries per map or
 * {@link Protocol#MAX_CAPABILITIES} items per array, and nesting deeper than {@link
 * Protocol#MAX_NESTING} are rejected.
 */
final class FrameCbor {

  /** A CBOR value no frame field can have; {@code kind} says what it was, for the error. */
  record Unsupported(String kind) {}

  private final CBORFactory factory =
      CBORFactory.builder()
          .enable(CBORParser.Feature.READ_SIMPLE_VALUE_AS_EMBEDDED_OBJECT)
          .enable(CBORParser.Feature.READ_UNDEFINED_AS_EMBEDDED_OBJECT)
          .enable(CBORGenerator.Feature.WRITE_MINIMAL_INTS)
          .disable(CBORGenerator.Feature.WRITE_TYPE_HEADER)
          .streamReadConstraints(
              BoundedJson.constraints(
                  new JsonLimits(
                      Protocol.MAX_FRAME_BYTES,
                      Protocol.MAX_NESTING,
                      JsonLimits.DEFAULT_NUMBER_LENGTH,
                      JsonLimits.DEFAULT_EXPONENT,
                      Protocol.MAX_FRAME_BYTES,
                      256)))
          .build();

  /**
   * Encodes a frame map: definite lengths everywhere, shortest integer heads, text as given (so the
   * bytes depend only on the values and the map's iteration order).
   */
  byte[] write(Map<String, Object> map) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = factory.createGenerator(out)) {
      writeValue(g, map);
    } catch (IOException e) {
      throw new UncheckedIOException("writing CBOR to memory failed", e);
    }
    return out.toByteArray();
  }

  private static void writeValue(CBORGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      g.writeRawUTF8String(utf8, 0, utf8.length);
    } else if (value instanceof ByteString b) {
      g.writeBinary(b.array());
    } else if (value instanceof Long || value instanceof Integer) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof List<?> list) {
      g.writeStartArray(list, list.size());
      for (Object item : list) {
        writeValue(g, item);
      }
      g.writeEndArray();
    } else if (value instanceof Map<?, ?> map) {
      g.writeStartObject(map, map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName((String) e.getKey());
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else {
      throw new IllegalArgumentException("no CBOR encoding for " + value.getClass().getName());
    }
  }

  /** Decodes a frame body that must be exactly one CBOR map. */
  Map<String, Object> read(byte[] body) throws ProtocolException {
    try (CBORParser p = factory.createParser(body)) {
      JsonToken t = p.nextToken();
      checkNoTag(p);
      if (t != JsonToken.START_OBJECT) {
        throw new ProtocolException(
            ErrorCode.MALFORMED_FRAME, "frame body must be a CBOR map, found " + describe(t));
      }
      Map<String, Object> map = readMap(p, 1);
      if (p.nextToken() != null) {
        throw new ProtocolException(
            ErrorCode.MALFORMED_FRAME,
            "bytes after the frame's CBOR map at offset "
                + p.currentTokenLocation().getByteOffset());
      }
      return map;
    } catch (ProtocolException e) {
      throw e;
    } catch (StreamConstraintsException e) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME,
          "CBOR exceeds a structural limit: " + e.getOriginalMessage(),
          e);
    } catch (JsonProcessingException e) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME,
          "not well-formed CBOR: "
              + e.getOriginalMessage()
              + " (at byte "
              + (e.getLocation() == null ? "?" : e.getLocation().getByteOffset())
              + ")",
          e);
    } catch (IOException | RuntimeException e) {
      // The decoder must never let hostile bytes escape as anything but a protocol error.
      throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "CBOR decoding failed: " + e, e);
    }
  }

  private static Map<String, Object> readMap(CBORParser p, int depth) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      checkNoTag(p);
      String key = p.currentName();
      if (map.size() == Protocol.MAX_MAP_ENTRIES) {
        throw new ProtocolException(
            ErrorCode.LIMIT_EXCEEDED,
            "a CBOR map in the frame has more than " + Protocol.MAX_MAP_ENTRIES + " entries");
      }
      if (map.containsKey(key)) {
        throw new ProtocolException(
            ErrorCode.MALFORMED_FRAME, "duplicate map key \"" + FieldCheck.abbreviate(key) + "\"");
      }
      map.put(key, readValue(p, p.nextToken(), depth));
    }
    if (t != JsonToken.END_OBJECT) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME, "unexpected " + describe(t) + " in a map");
    }
    return Collections.unmodifiableMap(map);
  }

  private static Object readValue(CBORParser p, JsonToken t, int depth) throws IOException {
    checkNoTag(p);
    if (t == null) {
      throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "CBOR ends inside a map or array");
    }
    switch (t) {
      case START_OBJECT:
        checkDepth(depth + 1);
        return readMap(p, depth + 1);
      case START_ARRAY:
        checkDepth(depth + 1);
        return readArray(p, depth + 1);
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == CBORParser.NumberType.BIG_INTEGER) {
          return p.getBigIntegerValue();
        }
        return p.getLongValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case VALUE_NUMBER_FLOAT:
        return new Unsupported("a floating-point number");
      case VALUE_EMBEDDED_OBJECT:
        Object embedded = p.getEmbeddedObject();
        if (embedded instanceof byte[] bytes) {
          return ByteString.wrap(bytes);
        }
        return new Unsupported(embedded == null ? "undefined" : "a simple value");
      default:
        throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "unexpected " + describe(t));
    }
  }

  private static List<Object> readArray(CBORParser p, int depth) throws IOException {
    List<Object> list = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (list.size() == Protocol.MAX_CAPABILITIES) {
        throw new ProtocolException(
            ErrorCode.LIMIT_EXCEEDED,
            "a CBOR array in the frame has more than " + Protocol.MAX_CAPABILITIES + " items");
      }
      list.add(readValue(p, t, depth));
    }
    checkNoTag(p);
    return Collections.unmodifiableList(list);
  }

  private static void checkDepth(int depth) throws ProtocolException {
    if (depth > Protocol.MAX_NESTING) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME,
          "CBOR nesting deeper than " + Protocol.MAX_NESTING + " levels");
    }
  }

  private static void checkNoTag(CBORParser p) throws ProtocolException {
    int tag = p.getCurrentTag();
    if (tag != -1) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME, "CBOR tag " + tag + " is not allowed in frames");
    }
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "end of input";
    }
    switch (t) {
      case START_ARRAY:
        return "an array";
      case START_OBJECT:
        return "a map";
      case VALUE_STRING:
        return "a text string";
      case VALUE_NUMBER_INT:
        return "an integer";
      case VALUE_NUMBER_FLOAT:
        return "a floating-point number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      case VALUE_EMBEDDED_OBJECT:
        return "a byte string or simple value";
      default:
        return t.toString();
    }
  }
}
