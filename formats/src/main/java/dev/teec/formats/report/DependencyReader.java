package dev.teec.formats.report;

import static dev.teec.formats.report.ReportFields.construct;
import static dev.teec.formats.report.ReportFields.digest;
import static dev.teec.formats.report.ReportFields.integer;
import static dev.teec.formats.report.ReportFields.object;
import static dev.teec.formats.report.ReportFields.optionalString;
import static dev.teec.formats.report.ReportFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a report's {@code resolvedDependencies}: the source archive, the enclave image and the
 * network resources the build fetched.
 */
final class DependencyReader {
  private static final Pattern PCR_KEY = Pattern.compile("pcr(0|[1-9][0-9]?)");

  private DependencyReader() {}

  record Dependencies(String sourceSha256, EnclaveImage image, List<NetworkResource> network) {}

  static Dependencies read(JsonNode node, String path) throws ReportFormatException {
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
      if (name.equals(ReportJson.SOURCE_NAME)) {
        if (sourceSha256 != null) {
          throw new ReportFormatException(p, "second \"source\" dependency");
        }
        object(dep, p, Set.of("name", "digest"), Set.of());
        sourceSha256 = digest(dep.get("digest"), p + ".digest", "sha256");
      } else if (name.equals(ReportJson.IMAGE_NAME)) {
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

  static EnclaveImage readImage(JsonNode dep, String path) throws ReportFormatException {
    object(dep, path, Set.of("name", "digest", "annotations"), Set.of());
    String pcr0 = digest(dep.get("digest"), path + ".digest", ReportJson.PCR0_DIGEST);
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
          path, "digest." + ReportJson.PCR0_DIGEST + " differs from annotations.pcr0");
    }
    String id = registryId;
    return construct(path, () -> new EnclaveImage(pcrs, id));
  }

  static NetworkResource readNetwork(JsonNode dep, String path) throws ReportFormatException {
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
}
