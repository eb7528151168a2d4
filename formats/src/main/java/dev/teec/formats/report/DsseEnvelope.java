package dev.teec.formats.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A DSSE JSON envelope (SPEC W5): {@code {"payload": base64, "payloadType": string, "signatures":
 * [{"keyid": string, "sig": base64}]}}.
 *
 * @param payloadType the payload type, authenticated by every signature
 * @param payload the serialized body
 * @param signatures one or more signatures, each over {@code PAE(payloadType, payload)}
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<DsseSignature> signatures) {
  /** Largest envelope {@link #parse} reads: a maximal report in base64 plus room for signatures. */
  public static final int MAX_BYTES = ProvenanceReport.MAX_BYTES / 3 * 4 + 64 * 1024;

  /** Most signatures {@link #parse} accepts. */
  public static final int MAX_SIGNATURES = 16;

  private static final Set<String> ENVELOPE_FIELDS = Set.of("payload", "payloadType", "signatures");
  private static final Set<String> SIGNATURE_FIELDS = Set.of("keyid", "sig");
  private static final BoundedJson READER = BoundedJson.json(JsonLimits.of(MAX_BYTES));

  /** Copies; requires a non-empty payload type and 1..{@value #MAX_SIGNATURES} signatures. */
  public DsseEnvelope {
    Objects.requireNonNull(payloadType, "payloadType");
    if (payloadType.isEmpty()) {
      throw new IllegalArgumentException("payloadType is empty");
    }
    payload = Objects.requireNonNull(payload, "payload").clone();
    signatures = List.copyOf(signatures);
    if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException(
          "an envelope has 1.." + MAX_SIGNATURES + " signatures, got " + signatures.size());
    }
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * The envelope as JSON in RFC 8785 canonical form, base64 with the standard alphabet and padding,
   * {@code keyid} left out when null.
   */
  public byte[] toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("payload", Base64.getEncoder().encodeToString(payload));
    root.put("payloadType", payloadType);
    ArrayNode sigs = root.putArray("signatures");
    for (DsseSignature s : signatures) {
      ObjectNode o = sigs.addObject();
      if (s.keyId() != null) {
        o.put("keyid", s.keyId());
      }
      o.put("sig", Base64.getEncoder().encodeToString(s.sig()));
    }
    return Jcs.canonicalize(root);
  }

  /**
   * Parses an envelope strictly: JSON without duplicate keys or trailing content, exactly the
   * fields above (keyid optional, no others), 1..{@value #MAX_SIGNATURES} signatures, base64 in
   * either the standard or the URL-safe alphabet (DSSE requires verifiers to accept both), with or
   * without padding but canonical (correct padding if any, no non-zero trailing bits). Formatting
   * (whitespace, key order) is free; this does not verify signatures.
   *
   * @throws DsseException saying what is wrong
   */
  public static DsseEnvelope parse(byte[] json) throws DsseException {
    if (json == null || json.length == 0 || json.length > MAX_BYTES) {
      throw new DsseException("envelope must be 1.." + MAX_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = READER.read(json);
    } catch (JacksonException e) {
      throw new DsseException("envelope is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new DsseException("envelope is not readable: " + e.getMessage(), e);
    }
    fields(root, "envelope", ENVELOPE_FIELDS, ENVELOPE_FIELDS);
    String payloadType = text(root, "payloadType", "envelope");
    if (payloadType.isEmpty()) {
      throw new DsseException("envelope payloadType is empty");
    }
    byte[] payload = base64(text(root, "payload", "envelope"), "envelope payload");
    JsonNode sigs = root.get("signatures");
    if (!sigs.isArray() || sigs.isEmpty() || sigs.size() > MAX_SIGNATURES) {
      throw new DsseException("envelope signatures must be an array of 1.." + MAX_SIGNATURES);
    }
    List<DsseSignature> signatures = new ArrayList<>();
    for (int i = 0; i < sigs.size(); i++) {
      String where = "envelope signatures[" + i + "]";
      JsonNode s = sigs.get(i);
      fields(s, where, Set.of("sig"), SIGNATURE_FIELDS);
      String keyId = s.has("keyid") ? text(s, "keyid", where) : null;
      byte[] sig = base64(text(s, "sig", where), where + ".sig");
      if (sig.length == 0) {
        throw new DsseException(where + ".sig is empty");
      }
      signatures.add(new DsseSignature(keyId, sig));
    }
    return new DsseEnvelope(payloadType, payload, signatures);
  }

  private static void fields(JsonNode node, String where, Set<String> required, Set<String> allowed)
      throws DsseException {
    if (node == null || !node.isObject()) {
      throw new DsseException(where + " must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new DsseException(where + " has unknown field \"" + Checks.abbreviate(key) + "\"");
      }
    }
    for (String key : required) {
      if (!node.has(key)) {
        throw new DsseException(where + " lacks field \"" + key + "\"");
      }
    }
  }

  private static String text(JsonNode node, String key, String where) throws DsseException {
    JsonNode v = node.get(key);
    if (!v.isTextual()) {
      throw new DsseException(where + "." + key + " must be a string");
    }
    return v.textValue();
  }

  /**
   * Decodes either alphabet, padding optional, and insists the text is a canonical encoding of the
   * bytes (correct padding if any, zero trailing bits).
   */
  static byte[] base64(String text, String what) throws DsseException {
    boolean standard = text.indexOf('+') >= 0 || text.indexOf('/') >= 0;
    boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
    if (standard && urlSafe) {
      throw new DsseException(what + " mixes the standard and URL-safe base64 alphabets");
    }
    byte[] bytes;
    try {
      bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      throw new DsseException(what + " is not valid base64: " + e.getMessage(), e);
    }
    Base64.Encoder encoder = urlSafe ? Base64.getUrlEncoder() : Base64.getEncoder();
    if (!text.equals(encoder.encodeToString(bytes))
        && !text.equals(encoder.withoutPadding().encodeToString(bytes))) {
      throw new DsseException(
          what + " is not canonical base64 (wrong padding or non-zero trailing bits)");
    }
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DsseEnvelope other
        && payloadType.equals(other.payloadType)
        && Arrays.equals(payload, other.payload)
        && signatures.equals(other.signatures);
  }

  @Override
  public int hashCode() {
    return (31 * payloadType.hashCode() + Arrays.hashCode(payload)) * 31 + signatures.hashCode();
  }

  @Override
  public String toString() {
    return "DsseEnvelope[payloadType="
        + payloadType
        + ", payload="
        + payload.length
        + " bytes, signatures="
        + signatures
        + "]";
  }
}
