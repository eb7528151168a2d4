package dev.teec.formats.buildspec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads build.json strictly: exact key sets, exact types, one JSON document, no duplicate keys. */
final class BuildSpecParser {
  private static final Set<String> ROOT_KEYS = Set.of("language", "toolchain", "input", "output");
  private static final Set<String> INPUT_KEYS = Set.of("cmd", "workdir", "env", "timeoutSeconds");
  private static final Set<String> OUTPUT_KEYS = Set.of("files");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final BoundedJson READER = BoundedJson.json(JsonLimits.of(BuildSpec.MAX_BYTES));

  private BuildSpecParser() {}

  static BuildSpec parse(byte[] json) throws BuildSpecException {
    if (json.length > BuildSpec.MAX_BYTES) {
      throw new BuildSpecException(
          "$", "build.json is larger than " + BuildSpec.MAX_BYTES + " bytes");
    }
    JsonNode root = readTree(json);
    try {
      return toSpec(root);
    } catch (InvalidSpec e) {
      throw e.checked();
    }
  }

  /**
   * A JSON path for an object member: {@code parent.name}, or {@code parent["na me"]} when needed.
   */
  static String member(String parent, String name) {
    if (IDENTIFIER.matcher(name).matches()) {
      return parent + "." + name;
    }
    StringBuilder quoted = new StringBuilder(parent).append("[\"");
    for (char c : name.toCharArray()) {
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append("\"]").toString();
  }

  private static JsonNode readTree(byte[] json) throws BuildSpecException {
    JsonNode root;
    try {
      root = READER.read(json);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      String message = e.getOriginalMessage();
      if (message.startsWith("Duplicate field")) {
        // a duplicate key has a precise location; other syntax errors belong to the document
        throw new BuildSpecException(pathOf(e), "duplicate key" + where, e);
      }
      if (message.startsWith("Trailing token")) {
        throw new BuildSpecException("$", "content after the end of the JSON object" + where, e);
      }
      throw new BuildSpecException("$", "not valid JSON: " + message + where, e);
    } catch (IOException e) {
      throw new BuildSpecException("$", "not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new BuildSpecException("$", "build.json is empty");
    }
    if (!root.isObject()) {
      throw new BuildSpecException("$", "must be a JSON object (found " + typeName(root) + ")");
    }
    return root;
  }

  private static BuildSpec toSpec(JsonNode root) throws BuildSpecException {
    checkKeys(root, "$", ROOT_KEYS);
    String languageId = string(required(root, "$", "language"), "$.language");
    Language language =
        Language.fromId(languageId)
            .orElseThrow(() -> new BuildSpecException("$.language", Language.unknown(languageId)));
    Optional<String> toolchain =
        root.has("toolchain")
            ? Optional.of(string(root.get("toolchain"), "$.toolchain"))
            : Optional.empty();
    BuildSpec.Input input = input(object(required(root, "$", "input"), "$.input"));
    BuildSpec.Output output = output(object(required(root, "$", "output"), "$.output"));
    return new BuildSpec(language, toolchain, input, output);
  }

  private static BuildSpec.Input input(JsonNode node) throws BuildSpecException {
    checkKeys(node, "$.input", INPUT_KEYS);
    String cmd = string(required(node, "$.input", "cmd"), "$.input.cmd");
    String workdir = node.has("workdir") ? string(node.get("workdir"), "$.input.workdir") : ".";
    Map<String, String> env = new LinkedHashMap<>();
    if (node.has("env")) {
      JsonNode envNode = object(node.get("env"), "$.input.env");
      for (Map.Entry<String, JsonNode> e : envNode.properties()) {
        env.put(e.getKey(), string(e.getValue(), member("$.input.env", e.getKey())));
      }
    }
    Duration timeout = BuildSpec.Input.DEFAULT_TIMEOUT;
    if (node.has("timeoutSeconds")) {
      JsonNode t = node.get("timeoutSeconds");
      String path = "$.input.timeoutSeconds";
      if (!t.isNumber()) {
        throw new BuildSpecException(
            path, "must be a number of seconds (found " + typeName(t) + ")");
      }
      if (!t.isIntegralNumber()) {
        throw new BuildSpecException(path, "must be a whole number of seconds");
      }
      BigInteger seconds = t.bigIntegerValue();
      if (seconds.signum() <= 0
          || seconds.compareTo(BigInteger.valueOf(BuildSpec.Input.MAX_TIMEOUT.toSeconds())) > 0) {
        throw new BuildSpecException(
            path,
            "must be from 1 to "
                + BuildSpec.Input.MAX_TIMEOUT.toSeconds()
                + " seconds (found "
                + seconds
                + ")");
      }
      timeout = Duration.ofSeconds(seconds.longValueExact());
    }
    return new BuildSpec.Input(cmd, workdir, env, timeout);
  }

  private static BuildSpec.Output output(JsonNode node) throws BuildSpecException {
    checkKeys(node, "$.output", OUTPUT_KEYS);
    JsonNode files = required(node, "$.output", "files");
    if (!files.isArray()) {
      throw new BuildSpecException(
          "$.output.files", "must be an array of paths (found " + typeName(files) + ")");
    }
    if (files.size() > BuildSpec.Output.MAX_FILES) {
      throw new BuildSpecException(
          "$.output.files", "lists more than " + BuildSpec.Output.MAX_FILES + " entries");
    }
    List<OutputPattern> patterns = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      String path = "$.output.files[" + i + "]";
      String text = string(files.get(i), path);
      try {
        patterns.add(OutputPattern.compile(text));
      } catch (IllegalArgumentException e) {
        throw new BuildSpecException(path, "\"" + text + "\" " + e.getMessage(), e);
      }
    }
    return new BuildSpec.Output(patterns);
  }

  private static void checkKeys(JsonNode node, String path, Set<String> known)
      throws BuildSpecException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new BuildSpecException(
            member(path, key), "unknown key; known keys are " + new TreeSet<>(known));
      }
    }
  }

  private static JsonNode required(JsonNode node, String path, String key)
      throws BuildSpecException {
    JsonNode v = node.get(key);
    if (v == null) {
      throw new BuildSpecException(member(path, key), "is required");
    }
    return v;
  }

  private static JsonNode object(JsonNode node, String path) throws BuildSpecException {
    if (!node.isObject()) {
      throw new BuildSpecException(path, "must be an object (found " + typeName(node) + ")");
    }
    return node;
  }

  private static String string(JsonNode node, String path) throws BuildSpecException {
    if (!node.isTextual()) {
      throw new BuildSpecException(path, "must be a string (found " + typeName(node) + ")");
    }
    return node.textValue();
  }

  private static String typeName(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "array";
      case BOOLEAN -> "boolean";
      case NULL -> "null";
      case NUMBER -> "number";
      case OBJECT -> "object";
      case STRING -> "string";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Where Jackson stopped, as a JSON path, so syntax errors are located like semantic ones. */
  private static String pathOf(JsonProcessingException e) {
    if (e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
      JsonPointer pointer = parser.getParsingContext().pathAsPointer();
      StringBuilder path = new StringBuilder("$");
      for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
        int index = p.getMatchingIndex();
        String parent = path.toString();
        path.setLength(0);
        path.append(
            index >= 0 && p.getMatchingProperty().equals(Integer.toString(index))
                ? parent + "[" + index + "]"
                : member(parent, p.getMatchingProperty()));
      }
      return path.toString();
    }
    return "$";
  }
}
