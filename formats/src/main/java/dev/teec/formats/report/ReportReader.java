package dev.teec.formats.report;

import static dev.teec.formats.report.ReportFields.bool;
import static dev.teec.formats.report.ReportFields.constant;
import static dev.teec.formats.report.ReportFields.construct;
import static dev.teec.formats.report.ReportFields.digest;
import static dev.teec.formats.report.ReportFields.integer;
import static dev.teec.formats.report.ReportFields.object;
import static dev.teec.formats.report.ReportFields.optionalBoolean;
import static dev.teec.formats.report.ReportFields.optionalString;
import static dev.teec.formats.report.ReportFields.string;
import static dev.teec.formats.report.ReportFields.stringMap;
import static dev.teec.formats.report.ReportFields.time;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates a report (SPEC W3): every field is checked where it is read, and the whole
 * must be in its canonical form.
 */
final class ReportReader {
  private ReportReader() {}

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
      root = ReportJson.READER.read(bytes);
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
    DependencyReader.Dependencies deps =
        DependencyReader.read(definition.get("resolvedDependencies"), dp + ".resolvedDependencies");
    if (!deps.sourceSha256().equals(source.archiveSha256())) {
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
    constant(log, "name", bp + "[0]", ReportJson.LOG_NAME);
    String logSha256 = digest(log.get("digest"), bp + "[0].digest", "sha256");
    JsonNode exit = byproducts.get(1);
    object(exit, bp + "[1]", Set.of("name", "content", "mediaType", "annotations"), Set.of());
    constant(exit, "name", bp + "[1]", ReportJson.EXIT_CODE_NAME);
    constant(exit, "mediaType", bp + "[1]", "text/plain");
    JsonNode exitNotes = exit.get("annotations");
    object(exitNotes, bp + "[1].annotations", Set.of("value"), Set.of());
    int exitCode =
        (int)
            integer(
                exitNotes, "value", bp + "[1].annotations", Integer.MIN_VALUE, Integer.MAX_VALUE);
    if (!string(exit, "content", bp + "[1]").equals(ReportJson.exitCodeContent(exitCode))) {
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
              deps.image(),
              deps.network(),
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
}
