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

  /** Prints the report; with {@code quiet} only the verdict line. */
  static void print(
      PrintWriter out, DocumentInput input, VerificationResult result, boolean quiet) {
    print(out, input, result, null, quiet);
  }

  /**
   * Prints the report with the registry's checks after the document's, when {@code registry} is not
   * null.
   */
  static void print(
      PrintWriter out,
      DocumentInput input,
      VerificationResult result,
      RegistryReport registry,
      boolean quiet) {
    out.println(verdict(input, result, registry));
    if (quiet) {
      return;
    }
    out.println(
        "  input     " + input.encoding().label() + ", " + input.content().length() + " bytes");
    out.println(
        "  document  "
            + result.decodedUnverified().map(HumanReport::describe).orElse("not decoded"));
    out.println(
        "  time      "
            + result
                .verifiedAt()
                .map(t -> "T = " + t + ", " + origin(result))
                .orElse("none: T was to be the document's timestamp, which could not be read"));
    for (Check c : result.checks()) {
      out.println(checkLine(c.status().toString(), c.id().id(), c.detail()));
      if (c.failed()) {
        if (c.expected() != null) {
          out.println(DETAIL_INDENT + "expected: " + TerminalText.safe(c.expected()));
        }
        if (c.actual() != null) {
          out.println(DETAIL_INDENT + "found:    " + TerminalText.safe(c.actual()));
        }
      }
    }
    if (registry != null) {
      for (RegistryCheck c : registry.checks()) {
        out.println(checkLine(c.status().toString(), c.id(), c.detail()));
      }
    }
  }

  /**
   * One check's line: two spaces, the status padded to 4 columns, two spaces, the id padded to the
   * longest id, two spaces, the detail. Not String.format: a batch prints tens of thousands.
   */
  private static String checkLine(String status, String id, String detail) {
    StringBuilder line = new StringBuilder(2 + 4 + 2 + ID_WIDTH + 2 + detail.length());
    line.append("  ").append(status);
    pad(line, 2 + 4);
    line.append("  ").append(id);
    pad(line, 2 + 4 + 2 + ID_WIDTH);
    return line.append("  ").append(TerminalText.safe(detail)).toString();
  }

  private static void pad(StringBuilder line, int width) {
    while (line.length() < width) {
      line.append(' ');
    }
  }

  /**
   * {@code VERIFIED path}, or {@code REJECTED path (2 checks failed: a, b)}; a verified document
   * with warnings lists them the same way.
   */
  static String verdict(DocumentInput input, VerificationResult result) {
    return verdict(input, result, null);
  }

  /** The verdict, counting the registry's checks too when {@code registry} is not null. */
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
