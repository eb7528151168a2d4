package dev.teec.verifier.internal.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.Policy;
import dev.teec.verifier.PolicyFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads the JSON policy format of SPEC.md section V7. */
public final class PolicyJson {
  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "pcrs",
          "allowedPcrSets",
          "allowDebug",
          "allowNitroTpm",
          "userData",
          "nonce",
          "publicKey");

  /** Largest policy file: a few hundred PCR sets. */
  public static final int MAX_BYTES = 1 << 20;

  private static final BoundedJson READER =
      BoundedJson.json(JsonLimits.of(MAX_BYTES).withMaxStringLength(64 * 1024));

  private PolicyJson() {}

  public static Policy read(InputStream in) throws IOException {
    JsonNode root;
    try {
      root = READER.read(in);
    } catch (JacksonException e) {
      throw new PolicyFormatException("$", "not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new PolicyFormatException("$", "a policy is a JSON object");
    }
    Policy.Builder b = Policy.builder();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KNOWN_KEYS.contains(key)) {
        throw new PolicyFormatException(
            "$." + key, "unknown key; known keys are " + KNOWN_KEYS.stream().sorted().toList());
      }
    }
    try {
      if (root.has("pcrs")) {
        readPcrs(root.get("pcrs"), "$.pcrs").forEach(b::expectPcr);
      }
      if (root.has("allowedPcrSets")) {
        JsonNode sets = root.get("allowedPcrSets");
        if (!sets.isArray()) {
          throw new PolicyFormatException("$.allowedPcrSets", "must be an array of PCR objects");
        }
        if (sets.isEmpty()) {
          throw new PolicyFormatException(
              "$.allowedPcrSets",
              "is empty; an empty list would allow nothing (omit the key instead)");
        }
        for (int i = 0; i < sets.size(); i++) {
          String path = "$.allowedPcrSets[" + i + "]";
          Map<Integer, Bytes> set = readPcrs(sets.get(i), path);
          if (set.isEmpty()) {
            throw new PolicyFormatException(path, "an allowed PCR set must list at least one PCR");
          }
          b.allowPcrSet(set);
        }
      }
      flag(root, "allowDebug", b::allowDebug);
      flag(root, "allowNitroTpm", b::allowNitroTpm);
      if (root.has("userData")) {
        b.expectUserData(hex(root.get("userData"), "$.userData"));
      }
      if (root.has("nonce")) {
        b.expectNonce(hex(root.get("nonce"), "$.nonce"));
      }
      if (root.has("publicKey")) {
        b.expectPublicKey(hex(root.get("publicKey"), "$.publicKey"));
      }
    } catch (IllegalArgumentException e) {
      throw new PolicyFormatException("$", e.getMessage(), e);
    }
    return b.build();
  }

  /** A boolean key; {@code allow} runs when it is true. */
  private static void flag(JsonNode root, String key, Runnable allow) throws PolicyFormatException {
    if (root.has(key)) {
      JsonNode v = root.get(key);
      if (!v.isBoolean()) {
        throw new PolicyFormatException("$." + key, "must be true or false");
      }
      if (v.booleanValue()) {
        allow.run();
      }
    }
  }

  private static Map<Integer, Bytes> readPcrs(JsonNode node, String path)
      throws PolicyFormatException {
    if (!node.isObject()) {
      throw new PolicyFormatException(path, "must be an object from PCR index to hex value");
    }
    Map<Integer, Bytes> pcrs = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String entryPath = path + "." + e.getKey();
      if (!e.getKey().matches("0|[1-9][0-9]?")) {
        throw new PolicyFormatException(entryPath, "PCR index must be a number 0..31");
      }
      int index = Integer.parseInt(e.getKey());
      if (index > 31) {
        throw new PolicyFormatException(entryPath, "PCR index must be a number 0..31");
      }
      Bytes value = hex(e.getValue(), entryPath);
      int n = value.length();
      if (n != 32 && n != 48 && n != 64) {
        throw new PolicyFormatException(
            entryPath, "PCR value has " + n + " bytes; must be 32, 48 or 64");
      }
      pcrs.put(index, value);
    }
    return pcrs;
  }

  private static Bytes hex(JsonNode node, String path) throws PolicyFormatException {
    if (!node.isTextual()) {
      throw new PolicyFormatException(path, "must be a hex string");
    }
    try {
      return Bytes.fromHex(node.textValue());
    } catch (IllegalArgumentException e) {
      throw new PolicyFormatException(path, e.getMessage(), e);
    }
  }
}
