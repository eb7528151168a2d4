package dev.teec.cli.challenge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.teec.cli.CliSupport;
import dev.teec.enclave.proxy.ContentCache;
import dev.teec.enclave.proxy.OfflineReplay;
import dev.teec.enclave.proxy.RecordedResponse;
import dev.teec.enclave.worker.OfflineReplays;
import dev.teec.formats.report.ProvenanceReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a rebuild takes from the original's report besides the source: its build.json, the names of
 * the environment variables build.json sets, and (offline) the replay of its recorded resources.
 */
final class RebuildInputs {
  private RebuildInputs() {}

  static byte[] buildJson(ProvenanceReport report) {
    try {
      return JsonMapper.builder().build().writeValueAsBytes(report.buildJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree always serialises", e);
    }
  }

  static Set<String> buildJsonEnvNames(ProvenanceReport report) {
    Set<String> names = new TreeSet<>();
    report.buildJson().path("input").path("env").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The offline replay of the report's resources; every body must be in the cache already. */
  static OfflineReplay offlineReplay(
      ProvenanceReport report, Path cacheDir, Map<String, String> environment, Path bundle)
      throws ChallengeException {
    ContentCache cache =
        new ContentCache(cacheDir != null ? cacheDir : FetchCommand.defaultCache(environment));
    List<RecordedResponse> recorded = OfflineReplays.recorded(report);
    List<String> problems = new ArrayList<>();
    for (RecordedResponse r : recorded) {
      if (r.isRedirect()) {
        problems.add(
            r.method()
                + " "
                + r.url()
                + " was a redirect ("
                + r.status()
                + "), which replay cannot serve: the report does not record its Location");
      } else if (!r.method().equals("HEAD") && r.status() != 204 && r.status() != 304) {
        try {
          if (!cache.verify(r.sha256(), r.size())) {
            problems.add(
                r.method() + " " + r.url() + ": body " + r.sha256() + " is not in the cache");
          }
        } catch (IOException e) {
          problems.add(r.method() + " " + r.url() + ": " + e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ChallengeException(
          CliSupport.USAGE,
          "cannot rebuild offline from "
              + cache.directory()
              + ": "
              + problems.size()
              + " of "
              + recorded.size()
              + " recorded resources cannot be served (run teec challenge"
              + " fetch "
              + bundle
              + (cacheDir != null ? " --cache " + cacheDir : "")
              + "); first: "
              + problems.get(0));
    }
    return OfflineReplay.of(recorded, cache);
  }
}
