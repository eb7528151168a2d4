package dev.teec.enclave.protocol;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, strict access to one decoded CBOR map of a frame. Every error names the field by its path
 * on the wire ({@code "build_request.source_metadata.commit"}).
 */
final class Fields {

  private final Map<String, Object> map;
  private final String path;

  Fields(Map<String, Object> map, String path) {
    this.map = map;
    this.path = path;
  }

  /**
   * Rejects any key outside {@code allowed}, naming them all (sorted, so the message is stable).
   */
  void only(Set<String> allowed) throws ProtocolException {
    TreeSet<String> unknown = new TreeSet<>();
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        unknown.add("\"" + FieldCheck.abbreviate(key) + "\"");
      }
    }
    if (!unknown.isEmpty()) {
      throw new ProtocolException(
          ErrorCode.UNKNOWN_FIELD,
          path
              + " has unknown field"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown));
    }
  }

  boolean has(String key) {
    return map.containsKey(key);
  }

  String text(String key) throws ProtocolException {
    return require(key, String.class, "a text string");
  }

  String nullableText(String key) throws ProtocolException {
    return nullable(key, String.class, "a text string");
  }

  ByteString bytes(String key) throws ProtocolException {
    return require(key, ByteString.class, "a byte string");
  }

  ByteString nullableBytes(String key) throws ProtocolException {
    return nullable(key, ByteString.class, "a byte string");
  }

  boolean bool(String key) throws ProtocolException {
    return require(key, Boolean.class, "a boolean");
  }

  long integer(String key, long min, long max) throws ProtocolException {
    Object value = get(key);
    if (value == null) {
      throw wrongType(key, "an integer", null);
    }
    return checkInteger(key, value, min, max);
  }

  Long nullableInteger(String key, long min, long max) throws ProtocolException {
    Object value = get(key);
    return value == null ? null : checkInteger(key, value, min, max);
  }

  Fields map(String key) throws ProtocolException {
    @SuppressWarnings("unchecked")
    Map<String, Object> nested = require(key, Map.class, "a map");
    return new Fields(nested, path + "." + key);
  }

  List<String> textList(String key) throws ProtocolException {
    List<?> list = require(key, List.class, "an array");
    List<String> texts = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s)) {
        throw new ProtocolException(
            ErrorCode.WRONG_TYPE,
            path + "." + key + "[" + i + "] must be a text string, is " + kind(list.get(i)));
      }
      texts.add(s);
    }
    return texts;
  }

  /** A text field naming a constant of {@code type} by its lower-case name. */
  <E extends Enum<E>> E enumValue(String key, Class<E> type) throws ProtocolException {
    String name = text(key);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().toLowerCase(Locale.ROOT).equals(name)) {
        return constant;
      }
    }
    List<String> known = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      known.add(constant.name().toLowerCase(Locale.ROOT));
    }
    throw new ProtocolException(
        ErrorCode.INVALID_VALUE,
        path
            + "."
            + key
            + " is \""
            + FieldCheck.abbreviate(name)
            + "\", must be one of "
            + String.join(", ", known));
  }

  private Object get(String key) throws ProtocolException {
    if (!map.containsKey(key)) {
      throw new ProtocolException(ErrorCode.MISSING_FIELD, path + "." + key + " is missing");
    }
    return map.get(key);
  }

  private <T> T require(String key, Class<T> type, String expected) throws ProtocolException {
    T value = nullable(key, type, expected);
    if (value == null) {
      throw wrongType(key, expected, null);
    }
    return value;
  }

  private <T> T nullable(String key, Class<T> type, String expected) throws ProtocolException {
    Object value = get(key);
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw wrongType(key, expected, value);
    }
    return type.cast(value);
  }

  private long checkInteger(String key, Object value, long min, long max) throws ProtocolException {
    String field = path + "." + key;
    if (value instanceof BigInteger big) {
      throw new ProtocolException(
          big.signum() < 0 ? ErrorCode.INVALID_VALUE : ErrorCode.LIMIT_EXCEEDED,
          field + " is " + big + ", must be in " + min + ".." + max);
    }
    if (!(value instanceof Long n)) {
      throw wrongType(key, "an integer", value);
    }
    try {
      return FieldCheck.range(n, min, max, field);
    } catch (FrameValidationException e) {
      throw new ProtocolException(e.code(), e.getMessage());
    }
  }

  private ProtocolException wrongType(String key, String expected, Object actual) {
    return new ProtocolException(
        ErrorCode.WRONG_TYPE, path + "." + key + " must be " + expected + ", is " + kind(actual));
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof String) {
      return "a text string";
    } else if (value instanceof ByteString) {
      return "a byte string";
    } else if (value instanceof Long || value instanceof BigInteger) {
      return "an integer";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof List) {
      return "an array";
    } else if (value instanceof Map) {
      return "a map";
    } else if (value instanceof FrameCbor.Unsupported u) {
      return u.kind();
    }
    return value.getClass().getSimpleName();
  }
}
