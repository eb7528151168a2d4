package dev.teec.cli;

import dev.teec.builder.progress.TerminalText;
import dev.teec.cli.registry.RegistryReport;
import dev.teec.truststore.registry.RegistryCheck;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.Check;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.VerificationResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The plain-text report for one input: the verdict first, so that {@code grep} and tired eyes find
 * it, then what was verified and every check on its own line.
 */
final class HumanReport {
  private static final int ID_WIDTH =
      Arrays.stream(CheckId.values()).mapToInt(id -> id.id().length()).max().orElse(0);

  /** Continuation lines (expected/found) start under the check's detail text. */
  private static final String DETAIL_INDENT = " ".repeat(2 + 4 + 2 + ID_WIDTH + 2);

  private HumanReport() {}

  /** Line ends as {@link PrintWriter#println()} writes them. */
  private static final String EOL = System.lineSeparator();

  /** Room for a whole report without regrowing: about 35 lines of up to 100 characters. */
  private static final int REPORT_CAPACITY = 4096;

  /**
   * The report, every line ended as {@code println} ends it; with {@code quiet} only the verdict
   * line. With a {@code registry}, its checks follow the document's. Built in one buffer: a batch
   * renders a report per document.
   */
  static String render(
      DocumentInput input, VerificationResult result, RegistryReport registry, boolean quiet) {
    String verdict = verdict(input, result, registry);
    if (quiet) {
      return verdict + EOL;
    }
    StringBuilder out = new StringBuilder(REPORT_CAPACITY);
    out.append(verdict).append(EOL);
    out.append("  input     ")
        .append(input.encoding().label())
        .append(", ")
        .append(input.content().length())
        .append(" bytes")
        .append(EOL);
    out.append("  document  ")
        .append(result.decodedUnverified().map(HumanReport::describe).orElse("not decoded"))
        .append(EOL);
    out.append("  time      ");
    if (result.verifiedAt().isPresent()) {
      out.append("T = ").append(result.verifiedAt().get()).append(", ").append(origin(result));
    } else {
      out.append("none: T was to be the document's timestamp, which could not be read");
    }
    out.append(EOL);
    for (Check c : result.checks()) {
      checkLine(out, c.status().toString(), c.id().id(), c.detail());
      if (c.failed()) {
        if (c.expected() != null) {
          out.append(DETAIL_INDENT)
              .append("expected: ")
              .append(TerminalText.safe(c.expected()))
              .append(EOL);
        }
        if (c.actual() != null) {
          out.append(DETAIL_INDENT)
              .append("found:    ")
              .append(TerminalText.safe(c.actual()))
              .append(EOL);
        }
      }
    }
    if (registry != null) {
      for (RegistryCheck c : registry.checks()) {
        checkLine(out, c.status().toString(), c.id(), c.detail());
      }
    }
    return out.toString();
  }

  /**
   * One check's line: two spaces, the status padded to 4 columns, two spaces, the id padded to the
   * longest id, two spaces, the detail. Not String.format: a batch prints tens of thousands.
   */
  private static void checkLine(StringBuilder out, String status, String id, String detail) {
    int start = out.length();
    out.append("  ").append(status);
    pad(out, start + 2 + 4);
    out.append("  ").append(id);
    pad(out, start + 2 + 4 + 2 + ID_WIDTH);
    out.append("  ").append(TerminalText.safe(detail)).append(EOL);
  }

  private static void pad(StringBuilder out, int end) {
    while (out.length() < end) {
      out.append(' ');
    }
  }

  /**
   * {@code VERIFIED path}, or {@code REJECTED path (2 checks failed: a, b)}; a verified document
   * with warnings lists them the same way. Counts the registry's checks too when {@code registry}
   * is not null.
   */
  static String verdict(DocumentInput input, VerificationResult result, RegistryReport registry) {
    if (result.verified() && (registry == null || !registry.failed())) {
      List<String> warnings = ids(result, CheckStatus.WARN);
      String mark = result.emulated() ? "EMULATED" : "";
      return "VERIFIED  "
          + input.path()
          + (warnings.isEmpty()
              ? (mark.isEmpty() ? "" : "  (" + mark + ")")
              : "  ("
                  + (mark.isEmpty() ? "" : mark + "; ")
                  + plural(warnings.size(), "warning")
                  + ": "
                  + String.join(", ", warnings)
                  + ")");
    }
    List<String> failures = new ArrayList<>(ids(result, CheckStatus.FAIL));
    if (registry != null) {
      failures.addAll(registry.failures());
    }
    return "REJECTED  "
        + input.path()
        + "  ("
        + plural(failures.size(), "check")
        + " failed: "
        + String.join(", ", failures)
        + ")";
  }

  private static String describe(AttestationDocument d) {
    return JsonReport.kind(d.kind())
        + ", module "
        + TerminalText.safe(d.moduleId())
        + ", timestamp "
        + d.timestamp()
        + (d.debugMode() ? ", DEBUG MODE" : "");
  }

  private static String origin(VerificationResult result) {
    return switch (result.timeMode()) {
      case NOW -> "the current time";
      case DOCUMENT -> "the document's timestamp";
      case FIXED -> "as given by --at";
    };
  }

  // A loop, not a stream: it runs for every document of a batch, in C1-compiled code.
  private static List<String> ids(VerificationResult result, CheckStatus status) {
    List<String> ids = new ArrayList<>();
    for (Check c : result.checks()) {
      if (c.status() == status) {
        ids.add(c.id().id());
      }
    }
    return ids;
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
