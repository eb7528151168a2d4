package dev.teec.formats.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The JSON layout of SPEC W3, in both directions. */
final class ReportJson {
  static final String SOURCE_NAME = "source";
  static final String IMAGE_NAME = "enclave-image";
  static final String LOG_NAME = "build.log";
  static final String EXIT_CODE_NAME = "exitCode";
  static final String PCR0_DIGEST = "nitroPcr0";

  /** The longest string a report holds (a network resource's URI is the longest in practice). */
  static final int MAX_STRING = 1 << 20;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern TIMESTAMP =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
  private static final Pattern PCR_KEY = Pattern.compile("pcr(0|[1-9][0-9]?)");

  /**
   * Strict, bounded reader (dev.teec.json): duplicate keys and trailing content are errors,
   * decimals stay BigDecimal (so a non-integer is seen as such, never rounded), and nesting,
   * numbers, exponents and strings are bounded before any value is looked at.
   */
  private static final BoundedJson READER =
      BoundedJson.json(JsonLimits.of(ProvenanceReport.MAX_BYTES).withMaxStringLength(MAX_STRING));

  private ReportJson() {}

  // ---------------------------------------------------------------- writing

  static ObjectNode write(ProvenanceReport r) {
    ObjectNode root = NODES.objectNode();
    root.put("_type", ProvenanceReport.STATEMENT_TYPE);
    ArrayNode subject = root.putArray("subject");
    for (Subject s : r.subjects()) {
      ObjectNode o = subject.addObject();
      o.put("name", s.name());
      o.putObject("digest").put("sha256", s.sha256());
      o.putObject("annotations").put("executable", s.executable());
    }
    root.put("predicateType", ProvenanceReport.PREDICATE_TYPE);
    ObjectNode predicate = root.putObject("predicate");

    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", r.buildType());
    ObjectNode external = definition.putObject("externalParameters");
    external.set("buildJson", r.buildJson());
    SourceInfo src = r.source();
    ObjectNode source = external.putObject("source");
    if (src.uri() != null) {
      source.put("uri", src.uri());
    }
    if (src.commit() != null) {
      source.put("commit", src.commit());
    }
    if (src.tree() != null) {
      source.put("tree", src.tree());
    }
    if (src.path() != null) {
      source.put("path", src.path());
    }
    source.putObject("archiveDigest").put("sha256", src.archiveSha256());
    if (src.dirty() != null) {
      source.put("dirty", src.dirty());
    }
    if (src.commitVerified() != null) {
      source.put("commitVerified", src.commitVerified());
    }
    InternalParameters ip = r.internalParameters();
    ObjectNode internal = definition.putObject("internalParameters");
    internal.put("buildDir", ip.buildDir());
    ObjectNode env = internal.putObject("environment");
    ip.environment().forEach(env::put);
    ObjectNode isolation = internal.putObject("isolation");
    isolation.put("enforced", ip.isolation().enforced());
    isolation.put("reason", ip.isolation().reason());
    ip.tools()
        .ifPresent(
            tools -> {
              ArrayNode list = internal.putArray("tools");
              for (ResolvedTool t : tools) {
                ObjectNode o = list.addObject();
                o.put("name", t.name());
                o.put("path", t.path());
                o.put("resolvedPath", t.resolvedPath());
                if (t.version() != null) {
                  o.put("version", t.version());
                }
              }
            });
    ip.enclave()
        .ifPresent(
            e -> {
              ObjectNode enclave = internal.putObject("enclave");
              enclave.put("nsmDevice", e.nsmDevice());
              enclave.put("parentCid", e.parentCid());
            });

    ArrayNode deps = definition.putArray("resolvedDependencies");
    ObjectNode sourceDep = deps.addObject();
    sourceDep.put("name", SOURCE_NAME);
    sourceDep.putObject("digest").put("sha256", src.archiveSha256());
    EnclaveImage image = r.enclaveImage();
    ObjectNode imageDep = deps.addObject();
    imageDep.put("name", IMAGE_NAME);
    imageDep.putObject("digest").put(PCR0_DIGEST, image.pcr0());
    ObjectNode imageNotes = imageDep.putObject("annotations");
    image.pcrs().forEach((index, value) -> imageNotes.put("pcr" + index, value));
    if (image.registryId() != null) {
      imageNotes.put("registryId", image.registryId());
    }
    for (NetworkResource n : r.networkResources()) {
      ObjectNode dep = deps.addObject();
      dep.put("uri", n.uri());
      dep.putObject("digest").put("sha256", n.sha256());
      ObjectNode notes = dep.putObject("annotations");
      notes.put("method", n.method());
      notes.put("status", n.status());
      notes.put("size", n.size());
      if (n.contentType() != null) {
        notes.put("contentType", n.contentType());
      }
    }

    ObjectNode run = predicate.putObject("runDetails");
    ObjectNode builder = run.putObject("builder");
    builder.put("id", r.builderId());
    if (!r.builderVersion().isEmpty()) {
      ObjectNode version = builder.putObject("version");
      r.builderVersion().forEach(version::put);
    }
    ObjectNode metadata = run.putObject("metadata");
    metadata.put("invocationId", r.invocationId());
    metadata.put("startedOn", formatTime(r.startedOn()));
    metadata.put("finishedOn", formatTime(r.finishedOn()));
    ArrayNode byproducts = run.putArray("byproducts");
    ObjectNode log = byproducts.addObject();
    log.put("name", LOG_NAME);
    log.putObject("digest").put("sha256", r.buildLogSha256());
    ObjectNode exit = byproducts.addObject();
    exit.put("name", EXIT_CODE_NAME);
    exit.put("content", exitCodeContent(r.exitCode()));
    exit.put("mediaType", "text/plain");
    exit.putObject("annotations").put("value", r.exitCode());
    return root;
  }

  private static String formatTime(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }

  /**
   * ResourceDescriptor content is bytes (base64 in JSON): here the decimal exit status in ASCII.
   */
  private static String exitCodeContent(int exitCode) {
    return Base64.getEncoder()
        .encodeToString(Integer.toString(exitCode).getBytes(StandardCharsets.US_ASCII));
  }

  // ---------------------------------------------------------------- build.json

  static JsonNode parseBuildJson(byte[] json) {
    JsonNode node;
    try {
      node = READER.read(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("build.json is not valid JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("build.json must be a JSON object");
    }
    return node;
  }

  /**
   * Re-reads a tree from its canonical bytes, so that equal JSON values are equal trees (same
   * number node types) whatever built them; also proves the tree has a canonical form.
   */
  static JsonNode normalize(JsonNode node) {
    try {
      return READER.read(Jcs.canonicalize(node));
    } catch (IOException e) {
      throw new IllegalStateException("canonical JSON did not parse back", e);
    }
  }

  // ---------------------------------------------------------------- reading

  static ProvenanceReport read(byte[] bytes) throws ReportFormatException {
    if (bytes == null || bytes.length == 0) {
      throw new ReportFormatException("$", "report is empty");
    }
    if (bytes.length > ProvenanceReport.MAX_BYTES) {
      throw new ReportFormatException(
          "$", "report is " + bytes.length + " bytes, more than " + ProvenanceReport.MAX_BYTES);
    }
    JsonNode root;
    try {
      root = READER.read(bytes);
    } catch (JacksonException e) {
      throw new ReportFormatException("$", "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ReportFormatException("$", "not readable: " + e.getMessage(), e);
    }
    object(root, "$", Set.of("_type", "subject", "predicateType", "predicate"), Set.of());
    constant(root, "_type", "$", ProvenanceReport.STATEMENT_TYPE);
    constant(root, "predicateType", "$", ProvenanceReport.PREDICATE_TYPE);
    List<Subject> subjects = readSubjects(root.get("subject"));

    JsonNode predicate = root.get("predicate");
    object(predicate, "$.predicate", Set.of("buildDefinition", "runDetails"), Set.of());
    String dp = "$.predicate.buildDefinition";
    JsonNode definition = predicate.get("buildDefinition");
    object(
        definition,
        dp,
        Set.of("buildType", "externalParameters", "internalParameters", "resolvedDependencies"),
        Set.of());
    String buildType = string(definition, "buildType", dp);
    JsonNode external = definition.get("externalParameters");
    object(external, dp + ".externalParameters", Set.of("buildJson", "source"), Set.of());
    JsonNode buildJson = external.get("buildJson");
    String bj = dp + ".externalParameters.buildJson";
    if (!buildJson.isObject()) {
      throw new ReportFormatException(bj, "must be a JSON object");
    }
    try {
      Jcs.canonicalize(buildJson);
    } catch (JcsException e) {
      throw new ReportFormatException(bj + e.path().substring(1), e.reason(), e);
    }
    SourceInfo source = readSource(external.get("source"), dp + ".externalParameters.source");
    InternalParameters internal =
        readInternal(definition.get("internalParameters"), dp + ".internalParameters");
    Dependencies deps =
        readDependencies(definition.get("resolvedDependencies"), dp + ".resolvedDependencies");
    if (!deps.sourceSha256.equals(source.archiveSha256())) {
      throw new ReportFormatException(
          dp + ".resolvedDependencies",
          "source dependency digest differs from externalParameters.source.archiveDigest");
    }

    String rp = "$.predicate.runDetails";
    JsonNode run = predicate.get("runDetails");
    object(run, rp, Set.of("builder", "metadata", "byproducts"), Set.of());
    JsonNode builder = run.get("builder");
    object(builder, rp + ".builder", Set.of("id"), Set.of("version"));
    String builderId = string(builder, "id", rp + ".builder");
    Map<String, String> builderVersion = new LinkedHashMap<>();
    if (builder.has("version")) {
      builderVersion = stringMap(builder.get("version"), rp + ".builder.version");
      if (builderVersion.isEmpty()) {
        throw new ReportFormatException(rp + ".builder.version", "is empty (omitted when empty)");
      }
    }
    JsonNode metadata = run.get("metadata");
    String mp = rp + ".metadata";
    object(metadata, mp, Set.of("invocationId", "startedOn", "finishedOn"), Set.of());
    String invocationId = string(metadata, "invocationId", mp);
    Instant startedOn = time(metadata, "startedOn", mp);
    Instant finishedOn = time(metadata, "finishedOn", mp);
    JsonNode byproducts = run.get("byproducts");
    String bp = rp + ".byproducts";
    if (!byproducts.isArray() || byproducts.size() != 2) {
      throw new ReportFormatException(
          bp, "must be an array of exactly two entries (build.log, exitCode)");
    }
    JsonNode log = byproducts.get(0);
    object(log, bp + "[0]", Set.of("name", "digest"), Set.of());
    constant(log, "name", bp + "[0]", LOG_NAME);
    String logSha256 = digest(log.get("digest"), bp + "[0].digest", "sha256");
    JsonNode exit = byproducts.get(1);
    object(exit, bp + "[1]", Set.of("name", "content", "mediaType", "annotations"), Set.of());
    constant(exit, "name", bp + "[1]", EXIT_CODE_NAME);
    constant(exit, "mediaType", bp + "[1]", "text/plain");
    JsonNode exitNotes = exit.get("annotations");
    object(exitNotes, bp + "[1].annotations", Set.of("value"), Set.of());
    int exitCode =
        (int)
            integer(
                exitNotes, "value", bp + "[1].annotations", Integer.MIN_VALUE, Integer.MAX_VALUE);
    if (!string(exit, "content", bp + "[1]").equals(exitCodeContent(exitCode))) {
      throw new ReportFormatException(
          bp + "[1].content", "is not the base64 of the decimal exit code " + exitCode);
    }

    ProvenanceReport report;
    try {
      report =
          new ProvenanceReport(
              subjects,
              buildType,
              buildJson,
              source,
              internal,
              deps.image,
              deps.network,
              builderId,
              builderVersion,
              invocationId,
              startedOn,
              finishedOn,
              logSha256,
              exitCode);
    } catch (IllegalArgumentException e) {
      throw new ReportFormatException("$", e.getMessage(), e);
    }
    byte[] canonical;
    try {
      canonical = report.canonicalBytes();
    } catch (IllegalStateException e) {
      throw new ReportFormatException("$", e.getMessage(), e);
    }
    int mismatch = Arrays.mismatch(canonical, bytes);
    if (mismatch >= 0) {
      throw new ReportFormatException(
          "$",
          "not in the canonical form (RFC 8785, sorted subjects and dependencies, one network"
              + " record per distinct request); first difference at byte offset "
              + mismatch);
    }
    return report;
  }

  private static List<Subject> readSubjects(JsonNode node) throws ReportFormatException {
    if (!node.isArray() || node.isEmpty()) {
      throw new ReportFormatException("$.subject", "must be a non-empty array");
    }
    List<Subject> subjects = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String path = "$.subject[" + i + "]";
      JsonNode s = node.get(i);
      object(s, path, Set.of("name", "digest", "annotations"), Set.of());
      String name = string(s, "name", path);
      String sha256 = digest(s.get("digest"), path + ".digest", "sha256");
      JsonNode notes = s.get("annotations");
      object(notes, path + ".annotations", Set.of("executable"), Set.of());
      boolean executable = bool(notes, "executable", path + ".annotations");
      subjects.add(construct(path, () -> new Subject(name, sha256, executable)));
    }
    return subjects;
  }

  private static SourceInfo readSource(JsonNode node, String path) throws ReportFormatException {
    object(
        node,
        path,
        Set.of("archiveDigest"),
        Set.of("uri", "commit", "tree", "path", "dirty", "commitVerified"));
    String uri = optionalString(node, "uri", path);
    String commit = optionalString(node, "commit", path);
    String tree = optionalString(node, "tree", path);
    String dir = optionalString(node, "path", path);
    String archive = digest(node.get("archiveDigest"), path + ".archiveDigest", "sha256");
    Boolean dirty = optionalBoolean(node, "dirty", path);
    Boolean verified = optionalBoolean(node, "commitVerified", path);
    return construct(path, () -> new SourceInfo(uri, commit, tree, dir, archive, dirty, verified));
  }

  private static Boolean optionalBoolean(JsonNode node, String key, String path)
      throws ReportFormatException {
    return node.has(key) ? bool(node, key, path) : null;
  }

  private static boolean bool(JsonNode node, String key, String path) throws ReportFormatException {
    JsonNode v = node.get(key);
    if (v == null || !v.isBoolean()) {
      throw new ReportFormatException(path + "." + key, "must be true or false");
    }
    return v.booleanValue();
  }

  private static InternalParameters readInternal(JsonNode node, String path)
      throws ReportFormatException {
    object(node, path, Set.of("buildDir", "environment", "isolation"), Set.of("tools", "enclave"));
    String buildDir = string(node, "buildDir", path);
    Map<String, String> env = stringMap(node.get("environment"), path + ".environment");
    JsonNode iso = node.get("isolation");
    object(iso, path + ".isolation", Set.of("enforced", "reason"), Set.of());
    if (!iso.get("enforced").isBoolean()) {
      throw new ReportFormatException(path + ".isolation.enforced", "must be true or false");
    }
    boolean enforced = iso.get("enforced").booleanValue();
    String reason = string(iso, "reason", path + ".isolation");
    Isolation isolation = construct(path + ".isolation", () -> new Isolation(enforced, reason));
    Optional<List<ResolvedTool>> tools =
        node.has("tools")
            ? Optional.of(readTools(node.get("tools"), path + ".tools"))
            : Optional.empty();
    Optional<EnclaveRuntime> enclave =
        node.has("enclave")
            ? Optional.of(readEnclave(node.get("enclave"), path + ".enclave"))
            : Optional.empty();
    return construct(path, () -> new InternalParameters(buildDir, env, isolation, tools, enclave));
  }

  private static EnclaveRuntime readEnclave(JsonNode e, String ep) throws ReportFormatException {
    object(e, ep, Set.of("nsmDevice", "parentCid"), Set.of());
    String device = string(e, "nsmDevice", ep);
    long cid = integer(e, "parentCid", ep, 0, EnclaveRuntime.MAX_CID);
    return construct(ep, () -> new EnclaveRuntime(device, cid));
  }

  private static List<ResolvedTool> readTools(JsonNode node, String path)
      throws ReportFormatException {
    if (!node.isArray()) {
      throw new ReportFormatException(path, "must be an array");
    }
    List<ResolvedTool> tools = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode t = node.get(i);
      object(t, p, Set.of("name", "path", "resolvedPath"), Set.of("version"));
      String name = string(t, "name", p);
      String file = string(t, "path", p);
      String resolved = string(t, "resolvedPath", p);
      String version = optionalString(t, "version", p);
      tools.add(construct(p, () -> new ResolvedTool(name, file, resolved, version)));
    }
    return tools;
  }

  private record Dependencies(
      String sourceSha256, EnclaveImage image, List<NetworkResource> network) {}

  private static Dependencies readDependencies(JsonNode node, String path)
      throws ReportFormatException {
    if (!node.isArray()) {
      throw new ReportFormatException(path, "must be an array");
    }
    String sourceSha256 = null;
    EnclaveImage image = null;
    List<NetworkResource> network = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode dep = node.get(i);
      if (!dep.isObject()) {
        throw new ReportFormatException(p, "must be a JSON object");
      }
      if (!dep.has("name")) {
        network.add(readNetwork(dep, p));
        continue;
      }
      String name = string(dep, "name", p);
      if (name.equals(SOURCE_NAME)) {
        if (sourceSha256 != null) {
          throw new ReportFormatException(p, "second \"source\" dependency");
        }
        object(dep, p, Set.of("name", "digest"), Set.of());
        sourceSha256 = digest(dep.get("digest"), p + ".digest", "sha256");
      } else if (name.equals(IMAGE_NAME)) {
        if (image != null) {
          throw new ReportFormatException(p, "second \"enclave-image\" dependency");
        }
        image = readImage(dep, p);
      } else {
        throw new ReportFormatException(
            p + ".name",
            "unknown dependency name \""
                + Checks.abbreviate(name)
                + "\"; named dependencies are \"source\" and \"enclave-image\", network"
                + " resources have no name");
      }
    }
    if (sourceSha256 == null) {
      throw new ReportFormatException(path, "the \"source\" dependency is missing");
    }
    if (image == null) {
      throw new ReportFormatException(path, "the \"enclave-image\" dependency is missing");
    }
    return new Dependencies(sourceSha256, image, network);
  }

  private static EnclaveImage readImage(JsonNode dep, String path) throws ReportFormatException {
    object(dep, path, Set.of("name", "digest", "annotations"), Set.of());
    String pcr0 = digest(dep.get("digest"), path + ".digest", PCR0_DIGEST);
    JsonNode notes = dep.get("annotations");
    String np = path + ".annotations";
    if (!notes.isObject()) {
      throw new ReportFormatException(np, "must be a JSON object");
    }
    Map<Integer, String> pcrs = new TreeMap<>();
    String registryId = null;
    for (Iterator<String> it = notes.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.equals("registryId")) {
        registryId = string(notes, key, np);
      } else if (PCR_KEY.matcher(key).matches()) {
        pcrs.put(Integer.parseInt(key.substring(3)), string(notes, key, np));
      } else {
        throw new ReportFormatException(
            np + "." + key, "unknown annotation; allowed are pcr0..pcr31 and registryId");
      }
    }
    if (!pcr0.equals(pcrs.get(0))) {
      throw new ReportFormatException(
          path, "digest." + PCR0_DIGEST + " differs from annotations.pcr0");
    }
    String id = registryId;
    return construct(path, () -> new EnclaveImage(pcrs, id));
  }

  private static NetworkResource readNetwork(JsonNode dep, String path)
      throws ReportFormatException {
    object(dep, path, Set.of("uri", "digest", "annotations"), Set.of());
    String uri = string(dep, "uri", path);
    String sha256 = digest(dep.get("digest"), path + ".digest", "sha256");
    JsonNode notes = dep.get("annotations");
    String np = path + ".annotations";
    object(notes, np, Set.of("method", "status", "size"), Set.of("contentType"));
    String method = string(notes, "method", np);
    int status = (int) integer(notes, "status", np, 100, 599);
    long size = integer(notes, "size", np, 0, Jcs.MAX_SAFE_INTEGER);
    String contentType = optionalString(notes, "contentType", np);
    return construct(
        path, () -> new NetworkResource(uri, method, status, size, contentType, sha256));
  }

  // ---------------------------------------------------------------- helpers

  private interface Constructor<T> {
    T make();
  }

  /** Runs a value type's validating constructor, turning its complaint into a located error. */
  private static <T> T construct(String path, Constructor<T> c) throws ReportFormatException {
    try {
      return c.make();
    } catch (IllegalArgumentException e) {
      throw new ReportFormatException(path, e.getMessage(), e);
    }
  }

  private static void object(JsonNode node, String path, Set<String> required, Set<String> optional)
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

  private static String string(JsonNode parent, String key, String path)
      throws ReportFormatException {
    JsonNode v = parent.get(key);
    if (v == null || !v.isTextual()) {
      throw new ReportFormatException(path + "." + key, "must be a string");
    }
    return v.textValue();
  }

  private static String optionalString(JsonNode parent, String key, String path)
      throws ReportFormatException {
    return parent.has(key) ? string(parent, key, path) : null;
  }

  private static void constant(JsonNode parent, String key, String path, String expected)
      throws ReportFormatException {
    String actual = string(parent, key, path);
    if (!actual.equals(expected)) {
      throw new ReportFormatException(
          path + "." + key,
          "must be \"" + expected + "\", got \"" + Checks.abbreviate(actual) + "\"");
    }
  }

  private static long integer(JsonNode parent, String key, String path, long min, long max)
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
  private static String digest(JsonNode node, String path, String algorithm)
      throws ReportFormatException {
    object(node, path, Set.of(algorithm), Set.of());
    return string(node, algorithm, path);
  }

  private static Map<String, String> stringMap(JsonNode node, String path)
      throws ReportFormatException {
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

  private static Instant time(JsonNode parent, String key, String path)
      throws ReportFormatException {
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
}
