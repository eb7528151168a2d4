package dev.teec.emulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The assignments of a pins file ({@code KEY=VALUE} lines, as {@code sh} reads them): values bare,
 * in single quotes (taken literally) or in double quotes (no expansion is done: the pins files use
 * none). Comments and blank lines are skipped.
 */
public final class Pins {
  private final Map<String, String> values;

  private Pins(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Parses {@code text}.
   *
   * @param name where the text comes from, for error messages
   * @throws IllegalArgumentException naming the line that is not an assignment
   */
  public static Pins parse(String name, String text) {
    Map<String, String> values = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0 || !line.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            name + " line " + (i + 1) + ": not a KEY=VALUE assignment: " + line);
      }
      values.put(line.substring(0, eq), unquote(name, i + 1, line.substring(eq + 1)));
    }
    return new Pins(values);
  }

  private static String unquote(String name, int line, String v) {
    if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"')) {
      char q = v.charAt(0);
      if (v.charAt(v.length() - 1) != q || v.indexOf(q, 1) != v.length() - 1) {
        throw new IllegalArgumentException(name + " line " + line + ": unbalanced quotes");
      }
      return v.substring(1, v.length() - 1);
    }
    if (v.matches(".*[\\s'\"$`\\\\].*")) {
      throw new IllegalArgumentException(
          name + " line " + line + ": an unquoted value with spaces, quotes or $");
    }
    return v;
  }

  /** This file's assignments, then {@code other}'s (which win on a repeated key). */
  public Pins with(Pins other) {
    Map<String, String> merged = new LinkedHashMap<>(values);
    merged.putAll(other.values);
    return new Pins(merged);
  }

  /** The value of {@code key}; fails when it is not assigned. */
  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("the pins assign no " + key);
    }
    return v;
  }

  /** The value of {@code key}, if assigned. */
  public Optional<String> find(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Every assignment, in file order. */
  public Map<String, String> all() {
    return values;
  }
}
