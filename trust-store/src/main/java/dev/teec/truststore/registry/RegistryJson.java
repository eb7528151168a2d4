package dev.teec.truststore.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.encoding.Pem;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import dev.teec.verifier.Bytes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Strict parsing and canonical serialisation of the registry payload (SPEC.md section R1).
 *
 * <p>Parsing rejects duplicate keys, unknown fields, wrong types and invalid values, naming the
 * JSON path of the first problem. Serialisation is canonical: fixed field order, two-space
 * indentation, a final newline, so that every maintainer who serialises the same registry signs the
 * same bytes.
 */
public final class RegistryJson {
  /** The value of the {@code type} field. */
  public static final String TYPE = "teec-registry";

  /** The schema version this code reads and writes. */
  public static final int SCHEMA_VERSION = 1;

  /** Larger documents are rejected before parsing. */
  public static final int MAX_SIZE = 4 << 20;

  /**
   * Larger signed envelopes are rejected before parsing: a maximal document in base64url plus room
   * for the signatures.
   */
  static final int MAX_ENVELOPE_SIZE = MAX_SIZE / 3 * 4 + 64 * 1024;

  /** The longest string a registry document holds (a certificate in base64 is the longest). */
  static final int MAX_STRING = 64 * 1024;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final BoundedJson DOCUMENT_READER =
      BoundedJson.json(JsonLimits.of(MAX_SIZE).withMaxStringLength(MAX_STRING));
  private static final BoundedJson ENVELOPE_READER =
      BoundedJson.json(JsonLimits.of(MAX_ENVELOPE_SIZE));

  private RegistryJson() {}

  /**
   * Parses a registry payload.
   *
   * @throws RegistryFormatException naming the JSON path of the first problem
   */
  public static Registry parse(byte[] json) throws RegistryFormatException {
    if (json.length > MAX_SIZE) {
      throw new RegistryFormatException(
          "$", "document of " + json.length + " bytes exceeds the " + MAX_SIZE + "-byte limit");
    }
    JsonNode root = readTree(json, DOCUMENT_READER);
    Obj o = new Obj(root, "$");
    o.only("type", "schemaVersion", "version", "issuedAt", "expiresAt", "images", "extraRoots");
    if (!TYPE.equals(o.string("type"))) {
      throw new RegistryFormatException("$.type", "expected \"" + TYPE + "\"");
    }
    if (o.integer("schemaVersion") != SCHEMA_VERSION) {
      throw new RegistryFormatException(
          "$.schemaVersion", "unsupported schema version, this reader knows " + SCHEMA_VERSION);
    }
    long version = o.integer("version");
    Instant issuedAt = o.instant("issuedAt");
    Instant expiresAt = o.instant("expiresAt");
    List<ImageEntry> images = new ArrayList<>();
    List<JsonNode> imageNodes = o.array("images");
    for (int i = 0; i < imageNodes.size(); i++) {
      images.add(image(new Obj(imageNodes.get(i), "$.images[" + i + "]")));
    }
    List<ExtraRoot> roots = new ArrayList<>();
    if (o.has("extraRoots")) {
      List<JsonNode> rootNodes = o.array("extraRoots");
      for (int i = 0; i < rootNodes.size(); i++) {
        roots.add(root(new Obj(rootNodes.get(i), "$.extraRoots[" + i + "]")));
      }
    }
    for (int i = 0; i < images.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (images.get(i).id().equals(images.get(j).id())) {
          throw new RegistryFormatException(
              "$.images[" + i + "].id",
              "duplicate image id '" + images.get(i).id() + "' (also at $.images[" + j + "])");
        }
      }
    }
    return o.build(() -> new Registry(version, issuedAt, expiresAt, images, roots));
  }

  /** The canonical UTF-8 JSON of {@code registry}. */
  public static byte[] serialize(Registry registry) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("type", TYPE);
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("version", registry.version());
    root.put("issuedAt", registry.issuedAt().toString());
    root.put("expiresAt", registry.expiresAt().toString());
    ArrayNode images = root.putArray("images");
    for (ImageEntry image : registry.images()) {
      images.add(imageNode(image));
    }
    if (!registry.extraRoots().isEmpty()) {
      ArrayNode roots = root.putArray("extraRoots");
      for (ExtraRoot r : registry.extraRoots()) {
        ObjectNode n = roots.addObject();
        n.put("id", r.id());
        n.put("description", r.description());
        n.put("onRequestOnly", true);
        n.put("certificate", pem(r.der()));
      }
    }
    try {
      byte[] body = MAPPER.writeValueAsBytes(root);
      byte[] out = new byte[body.length + 1];
      System.arraycopy(body, 0, out, 0, body.length);
      out[body.length] = '\n';
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising a JSON tree cannot fail", e);
    }
  }

  /** One image as a JSON object, in canonical field order; also used for reports. */
  public static ObjectNode imageNode(ImageEntry image) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", image.id());
    n.put("language", image.language());
    ObjectNode tools = n.putObject("toolchain");
    image.toolchain().forEach(tools::put);
    n.put("description", image.description());
    ObjectNode recipe = n.putObject("recipe");
    recipe.put("uri", image.recipe().uri());
    recipe.put("commit", image.recipe().commit());
    ObjectNode pcrs = n.putObject("pcrs");
    image.pcrs().forEach((index, value) -> pcrs.put(String.valueOf(index), value.hex()));
    n.put("validFrom", image.validFrom().toString());
    image.validUntil().ifPresent(u -> n.put("validUntil", u.toString()));
    n.put("status", image.status().state());
    if (image.status().revoked()) {
      ObjectNode revocation = n.putObject("revocation");
      revocation.put("reason", image.status().reason().orElseThrow());
      revocation.put("revokedAt", image.status().revokedAt().orElseThrow().toString());
    }
    return n;
  }

  /**
   * Reads a signed envelope, or a bare document, as bounded JSON; nothing else about it is checked.
   *
   * @throws RegistryFormatException if it is not one JSON value within the envelope limits
   */
  public static JsonNode readEnvelope(byte[] json) throws RegistryFormatException {
    return readTree(json, ENVELOPE_READER);
  }

  private static JsonNode readTree(byte[] json, BoundedJson reader) throws RegistryFormatException {
    try {
      JsonNode node = reader.read(json);
      if (node == null || node.isMissingNode()) {
        throw new RegistryFormatException("$", "empty document");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RegistryFormatException(
          "$",
          "not valid JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() != null
                  ? " at line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                  : ""));
    } catch (IOException e) {
      throw new RegistryFormatException("$", "unreadable: " + e.getMessage());
    }
  }

  private static ImageEntry image(Obj o) throws RegistryFormatException {
    o.only(
        "id",
        "language",
        "toolchain",
        "description",
        "recipe",
        "pcrs",
        "validFrom",
        "validUntil",
        "status",
        "revocation");
    String id = o.string("id");
    String language = o.string("language");
    Obj tools = o.object("toolchain");
    TreeMap<String, String> toolchain = new TreeMap<>();
    for (String name : tools.names()) {
      toolchain.put(name, tools.string(name));
    }
    String description = o.string("description");
    Obj r = o.object("recipe");
    r.only("uri", "commit");
    String uri = r.string("uri");
    String commit = r.string("commit");
    Recipe recipe = r.build(() -> new Recipe(uri, commit));
    Obj p = o.object("pcrs");
    TreeMap<Integer, Bytes> pcrs = new TreeMap<>();
    for (String name : p.names()) {
      if (!Set.of("0", "1", "2", "8").contains(name)) {
        throw new RegistryFormatException(
            p.path + "." + name, "not a PCR an EIF measures; allowed: 0, 1, 2, 8");
      }
      String hex = p.string(name);
      if (!hex.matches("[0-9a-f]{96}")) {
        throw new RegistryFormatException(
            p.path + "." + name, "expected 96 lowercase hex digits (SHA-384)");
      }
      pcrs.put(Integer.parseInt(name), Bytes.fromHex(hex));
    }
    Instant validFrom = o.instant("validFrom");
    Optional<Instant> validUntil =
        o.has("validUntil") ? Optional.of(o.instant("validUntil")) : Optional.empty();
    String state = o.string("status");
    ImageStatus status;
    if (state.equals("active")) {
      if (o.has("revocation")) {
        throw new RegistryFormatException(
            o.path + ".revocation", "only a revoked image has a revocation");
      }
      status = ImageStatus.active();
    } else if (state.equals("revoked")) {
      Obj rev = o.object("revocation");
      rev.only("reason", "revokedAt");
      String reason = rev.string("reason");
      Instant at = rev.instant("revokedAt");
      status = rev.build(() -> ImageStatus.revoked(reason, at));
    } else {
      throw new RegistryFormatException(
          o.path + ".status", "expected \"active\" or \"revoked\", got \"" + state + "\"");
    }
    return o.build(
        () ->
            new ImageEntry(
                id, language, toolchain, description, recipe, pcrs, validFrom, validUntil, status));
  }

  private static ExtraRoot root(Obj o) throws RegistryFormatException {
    o.only("id", "description", "onRequestOnly", "certificate");
    String id = o.string("id");
    String description = o.string("description");
    JsonNode flag = o.node.get("onRequestOnly");
    if (flag == null || !flag.isBoolean() || !flag.booleanValue()) {
      throw new RegistryFormatException(
          o.path + ".onRequestOnly",
          "must be true: extra roots are honoured only when a verifier asks for them by id");
    }
    Bytes der = o.certificate("certificate");
    return o.build(() -> new ExtraRoot(id, description, der));
  }

  /** PEM text of one certificate. */
  public static String pem(Bytes der) {
    return Pem.certificate(der.toByteArray());
  }

  /** Reads the first certificate of a PEM or DER text as DER. */
  public static Bytes certificateDer(byte[] pemOrDer) throws CertificateException {
    X509Certificate c =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pemOrDer));
    if (c == null) {
      throw new CertificateException("no certificate found");
    }
    try {
      return Bytes.of(c.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new CertificateException(e);
    }
  }

  /** A JSON object with its path, and typed accessors that fail with that path. */
  static final class Obj {
    final JsonNode node;
    final String path;

    Obj(JsonNode node, String path) throws RegistryFormatException {
      if (node == null || !node.isObject()) {
        throw new RegistryFormatException(path, "expected an object");
      }
      this.node = node;
      this.path = path;
    }

    interface Factory<T> {
      T make();
    }

    /**
     * Runs a record constructor, turning its validation failure into a format error at this path.
     */
    <T> T build(Factory<T> factory) throws RegistryFormatException {
      try {
        return factory.make();
      } catch (IllegalArgumentException e) {
        throw new RegistryFormatException(path, e.getMessage());
      }
    }

    void only(String... allowed) throws RegistryFormatException {
      Set<String> known = Set.of(allowed);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!known.contains(name)) {
          throw new RegistryFormatException(path + "." + name, "unknown field");
        }
      }
    }

    boolean has(String name) {
      return node.has(name);
    }

    List<String> names() {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      return names;
    }

    private JsonNode get(String name) throws RegistryFormatException {
      JsonNode v = node.get(name);
      if (v == null || v.isNull()) {
        throw new RegistryFormatException(path + "." + name, "missing");
      }
      return v;
    }

    String string(String name) throws RegistryFormatException {
      JsonNode v = get(name);
      if (!v.isTextual()) {
        throw new RegistryFormatException(path + "." + name, "expected a string");
      }
      return v.textValue();
    }

    long integer(String name) throws RegistryFormatException {
      JsonNode v = get(name);
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw new RegistryFormatException(path + "." + name, "expected an integer");
      }
      return v.longValue();
    }

    Instant instant(String name) throws RegistryFormatException {
      String text = string(name);
      try {
        if (!text.endsWith("Z")) {
          throw new DateTimeParseException("not UTC", text, 0);
        }
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new RegistryFormatException(
            path + "." + name,
            "expected an ISO-8601 UTC instant such as"
                + " 2026-01-01T00:00:00Z, got \""
                + text
                + "\"");
      }
    }

    List<JsonNode> array(String name) throws RegistryFormatException {
      JsonNode v = get(name);
      if (!v.isArray()) {
        throw new RegistryFormatException(path + "." + name, "expected an array");
      }
      List<JsonNode> items = new ArrayList<>();
      v.forEach(items::add);
      return items;
    }

    Obj object(String name) throws RegistryFormatException {
      return new Obj(get(name), path + "." + name);
    }

    Bytes certificate(String name) throws RegistryFormatException {
      String pem = string(name);
      try {
        return certificateDer(pem.getBytes(StandardCharsets.US_ASCII));
      } catch (CertificateException e) {
        throw new RegistryFormatException(
            path + "." + name, "not a PEM certificate: " + e.getMessage());
      }
    }
  }
}
