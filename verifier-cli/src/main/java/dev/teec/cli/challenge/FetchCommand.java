package dev.teec.cli.challenge;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.cli.CliSupport;
import dev.teec.enclave.nsm.TeecHome;
import dev.teec.enclave.proxy.ContentCache;
import dev.teec.enclave.worker.OfflineReplays;
import dev.teec.formats.files.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code teec challenge fetch BUNDLE [--cache DIR] [--json]} (SPEC C5): downloads every network
 * resource the bundle's report records into the content-addressed cache that {@code teec challenge
 * reproduce --offline} serves them from.
 *
 * <p>JSON output ({@code --json}), one object:
 *
 * <pre>
 * {"cache": "/abs/dir", "ok": true,
 *  "resources": [{"method": "GET", "url": "https://...", "status": 200, "size": 123,
 *                 "sha256": "&lt;hex&gt;", "outcome": "fetched|cached|no-body|unreplayable|failed",
 *                 "detail": "&lt;why, for unreplayable and failed&gt;"}]}
 * </pre>
 */
@Command(
    name = "fetch",
    description = {
      "Download every network resource the bundle's report records into the content-addressed cache"
          + " (each checked against its recorded SHA-256), for reproduce --offline.",
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:every resource is in the cache and replayable",
      "1:a resource could not be fetched, did not match its record, or cannot be replayed",
      "2:usage error, or the bundle cannot be read",
      "3:internal error"
    })
public final class FetchCommand implements Callable<Integer> {
  private final Map<String, String> environment;

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "BUNDLE",
      description = "The build bundle (tar) whose report lists the resources.")
  private Path bundle;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "The cache directory (default: $TEEC_HOME/cache).")
  private Path cacheDir;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "8",
      description = "Downloads at once (default: ${DEFAULT-VALUE}).")
  private int parallel;

  FetchCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** The default cache directory: {@code cache} in TEEC_HOME. */
  static Path defaultCache(Map<String, String> environment) {
    return TeecHome.resolve(environment, System.getProperty("user.home")).resolve("cache");
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (parallel < 1 || parallel > 64) {
      throw CliSupport.usage(
          spec.commandLine(),
          "--parallel must be 1..64, got " + parallel,
          CliSupport.seeHelp(spec.commandLine()));
    }
    ContentCache cache = new ContentCache(cacheDir != null ? cacheDir : defaultCache(environment));
    Path extract = Files.createTempDirectory("teec-fetch-");
    Bundles.Checked checked;
    try {
      checked = Bundles.read(bundle, extract, "the bundle");
    } catch (ChallengeException e) {
      return e.report(err, "teec challenge fetch", CliSupport.seeHelp(spec.commandLine()));
    } finally {
      FileTrees.deleteQuietly(extract);
    }
    return run(checked, cache, ResourceFetcher.defaultClient(), out);
  }

  private int run(Bundles.Checked checked, ContentCache cache, HttpClient client, PrintWriter out)
      throws InterruptedException {
    List<ResourceFetcher.Result> results =
        new ResourceFetcher(client, cache, parallel, Duration.ofMinutes(5))
            .fetchAll(OfflineReplays.recorded(checked.report()));
    boolean ok =
        results.stream()
            .allMatch(
                r ->
                    r.outcome() == ResourceFetcher.Outcome.CACHED
                        || r.outcome() == ResourceFetcher.Outcome.FETCHED
                        || r.outcome() == ResourceFetcher.Outcome.NO_BODY);
    if (json) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.put("cache", cache.directory().toString());
      root.put("ok", ok);
      ArrayNode list = root.putArray("resources");
      for (ResourceFetcher.Result r : results) {
        ObjectNode o = list.addObject();
        o.put("method", r.response().method());
        o.put("url", r.response().url());
        o.put("status", r.response().status());
        o.put("size", r.response().size());
        o.put("sha256", r.response().sha256());
        o.put("outcome", outcomeName(r.outcome()));
        if (!r.detail().isEmpty()) {
          o.put("detail", r.detail());
        }
      }
      try {
        out.println(JsonMapper.builder().build().writeValueAsString(root));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree always serialises", e);
      }
    } else {
      for (ResourceFetcher.Result r : results) {
        out.printf(
            "%-12s %s %s%s%n",
            outcomeName(r.outcome()).toUpperCase(java.util.Locale.ROOT),
            r.response().method(),
            r.response().url(),
            r.detail().isEmpty() ? "" : ": " + r.detail());
      }
      long stored =
          results.stream().filter(r -> r.outcome() == ResourceFetcher.Outcome.FETCHED).count();
      long cached =
          results.stream().filter(r -> r.outcome() == ResourceFetcher.Outcome.CACHED).count();
      out.println(
          "teec challenge fetch: "
              + results.size()
              + " resources, "
              + stored
              + " fetched, "
              + cached
              + " already cached, in "
              + cache.directory()
              + (ok
                  ? ""
                  : "; some resources are not available for an offline rebuild (see above)"));
    }
    out.flush();
    if (!ok) {
      CliSupport.next(
          spec.commandLine().getErr(),
          "an offline rebuild needs every resource: run the fetch again when the failing hosts are"
              + " reachable");
    }
    return ok ? CliSupport.OK : CliSupport.REJECTED;
  }

  private static String outcomeName(ResourceFetcher.Outcome o) {
    return o.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
