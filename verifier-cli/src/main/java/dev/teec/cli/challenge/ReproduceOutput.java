package dev.teec.cli.challenge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.builder.progress.TerminalText;
import dev.teec.cli.challenge.compare.ArchiveDifference;
import dev.teec.cli.challenge.compare.ArtifactComparison;
import dev.teec.cli.challenge.compare.EntryChange;
import dev.teec.cli.challenge.compare.FirstDifference;
import dev.teec.cli.challenge.compare.Verdict;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The result of {@code teec challenge reproduce}: one block per artifact, or one JSON object. */
final class ReproduceOutput {
  private ReproduceOutput() {}

  private static final int MAX_LISTED_ENTRIES = 20;

  static void printHuman(PrintWriter w, List<ArtifactComparison> results) {
    for (ArtifactComparison c : results) {
      w.printf("%-9s %s%n", c.verdict(), TerminalText.safe(c.name()));
      if (c.verdict() == Verdict.MATCH) {
        w.println("          sha256 " + c.originalSha256().orElseThrow());
        continue;
      }
      w.println("          original sha256 " + c.originalSha256().orElse("(none)"));
      w.println("          rebuilt  sha256 " + c.rebuiltSha256().orElse("(none)"));
      w.println("          " + c.summary());
      c.difference()
          .flatMap(FirstDifference::archive)
          .ifPresent(
              a -> {
                List<EntryChange> entries = a.entries();
                for (EntryChange e :
                    entries.subList(0, Math.min(entries.size(), MAX_LISTED_ENTRIES))) {
                  w.printf(
                      "            %-8s %s%s%n",
                      e.change(),
                      TerminalText.safe(e.name()),
                      e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
                }
                if (entries.size() > MAX_LISTED_ENTRIES) {
                  w.println(
                      "            ... and "
                          + (entries.size() - MAX_LISTED_ENTRIES)
                          + " more (see --json)");
                }
              });
    }
  }

  static String json(
      Path bundle,
      String mode,
      boolean offline,
      String sourceSha256,
      Path rebuilt,
      List<ArtifactComparison> results,
      boolean allMatch) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("bundle", bundle.toAbsolutePath().toString());
    root.put("mode", mode);
    root.put("offline", offline);
    root.put("sourceSha256", sourceSha256);
    root.put("rebuiltBundle", rebuilt.toString());
    root.put("result", allMatch ? "MATCH" : "MISMATCH");
    ArrayNode list = root.putArray("artifacts");
    for (ArtifactComparison c : results) {
      ObjectNode o = list.addObject();
      o.put("name", c.name());
      o.put("verdict", c.verdict().name());
      o.put("originalSha256", c.originalSha256().orElse(null));
      o.put("rebuiltSha256", c.rebuiltSha256().orElse(null));
      o.put("summary", c.summary());
      c.difference()
          .ifPresent(
              d -> {
                ObjectNode diff = o.putObject("difference");
                diff.put("originalSize", d.originalSize());
                diff.put("rebuiltSize", d.rebuiltSize());
                diff.put("offset", d.offset());
                d.archive().ifPresent(a -> archiveJson(diff.putObject("archive"), a));
              });
    }
    try {
      return JsonMapper.builder().build().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static void archiveJson(ObjectNode o, ArchiveDifference a) {
    o.put("format", a.format());
    o.put("orderDiffers", a.orderDiffers());
    o.put("error", a.error());
    ArrayNode entries = o.putArray("entries");
    for (EntryChange e : a.entries()) {
      entries.addObject().put("name", e.name()).put("change", e.change()).put("detail", e.detail());
    }
  }
}
