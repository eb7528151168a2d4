package dev.teec.formats.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reading one field of a report: each check names the JSON path of what is wrong, and unknown or
 * missing fields are errors.
 */
final class ReportFields {
  private static final Pattern TIMESTAMP =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");

  private ReportFields() {}

  interface Constructor<T> {
    T make();
  }

  /** Runs a value type's validating constructor, turning its complaint into a located error. */
  static <T> T construct(String path, Constructor<T> c) throws ReportFormatException {
    try {
      return c.make();
    } catch (IllegalArgumentException e) {
      throw new ReportFormatException(path, e.getMessage(), e);
    }
  }

  static void object(JsonNode node, String path, Set<String> required, Set<String> optional)
      throws ReportFormatException {
    if (node == null || !node.isObject()) {
      throw new ReportFormatException(path, "must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!required.contains(key) && !optional.contains(key)) {
        List<String> allowed = new ArrayList<>(required);
        allowed.addAll(optional);
        allowed.sort(null);
        throw new ReportFormatException(path + "." + key, "unknown field; allowed are " + allowed);
      }
    }
    for (String key : new TreeSet<>(required)) {
      if (!node.has(key)) {
        throw new ReportFormatException(path + "." + key, "required field is missing");
      }
    }
  }

  static String string(JsonNode parent, String key, String path) throws ReportFormatException {
    JsonNode v = parent.get(key);
    if (v == null || !v.isTextual()) {
      throw new ReportFormatException(path + "." + key, "must be a string");
    }
    return v.textValue();
  }

  static String optionalString(JsonNode parent, String key, String path)
      throws ReportFormatException {
    return parent.has(key) ? string(parent, key, path) : null;
  }

  static void constant(JsonNode parent, String key, String path, String expected)
      throws ReportFormatException {
    String actual = string(parent, key, path);
    if (!actual.equals(expected)) {
      throw new ReportFormatException(
          path + "." + key,
          "must be \"" + expected + "\", got \"" + Checks.abbreviate(actual) + "\"");
    }
  }

  static long integer(JsonNode parent, String key, String path, long min, long max)
      throws ReportFormatException {
    JsonNode v = parent.get(key);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new ReportFormatException(path + "." + key, "must be an integer");
    }
    long value = v.longValue();
    if (value < min || value > max) {
      throw new ReportFormatException(
          path + "." + key, "is " + value + ", outside " + min + ".." + max);
    }
    return value;
  }

  /** A DigestSet holding exactly {@code algorithm}; its value's format is checked by the caller. */
  static String digest(JsonNode node, String path, String algorithm) throws ReportFormatException {
    object(node, path, Set.of(algorithm), Set.of());
    return string(node, algorithm, path);
  }

  static Map<String, String> stringMap(JsonNode node, String path) throws ReportFormatException {
    if (node == null || !node.isObject()) {
      throw new ReportFormatException(path, "must be a JSON object");
    }
    Map<String, String> map = new HashMap<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      map.put(key, string(node, key, path));
    }
    return map;
  }

  static Instant time(JsonNode parent, String key, String path) throws ReportFormatException {
    String s = string(parent, key, path);
    if (!TIMESTAMP.matcher(s).matches()) {
      throw new ReportFormatException(
          path + "." + key, "must be an RFC 3339 UTC time to the second (YYYY-MM-DDThh:mm:ssZ)");
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new ReportFormatException(path + "." + key, "is not a valid date and time: " + s, e);
    }
  }

  static Boolean optionalBoolean(JsonNode node, String key, String path)
      throws ReportFormatException {
    return node.has(key) ? bool(node, key, path) : null;
  }

  static boolean bool(JsonNode node, String key, String path) throws ReportFormatException {
    JsonNode v = node.get(key);
    if (v == null || !v.isBoolean()) {
      throw new ReportFormatException(path + "." + key, "must be true or false");
    }
    return v.booleanValue();
  }
}
