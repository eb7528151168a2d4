package dev.teec.formats.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Writes a report as the JSON tree of SPEC W3 (canonicalised by the caller). */
final class ReportWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ReportWriter() {}

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
    sourceDep.put("name", ReportJson.SOURCE_NAME);
    sourceDep.putObject("digest").put("sha256", src.archiveSha256());
    EnclaveImage image = r.enclaveImage();
    ObjectNode imageDep = deps.addObject();
    imageDep.put("name", ReportJson.IMAGE_NAME);
    imageDep.putObject("digest").put(ReportJson.PCR0_DIGEST, image.pcr0());
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
    log.put("name", ReportJson.LOG_NAME);
    log.putObject("digest").put("sha256", r.buildLogSha256());
    ObjectNode exit = byproducts.addObject();
    exit.put("name", ReportJson.EXIT_CODE_NAME);
    exit.put("content", ReportJson.exitCodeContent(r.exitCode()));
    exit.put("mediaType", "text/plain");
    exit.putObject("annotations").put("value", r.exitCode());
    return root;
  }

  private static String formatTime(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }
}
