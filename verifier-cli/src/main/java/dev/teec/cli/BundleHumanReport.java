package dev.teec.cli;

import dev.teec.builder.progress.TerminalText;
import dev.teec.verifier.Check;
import dev.teec.verifier.DocumentKind;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.bundle.ArtifactResult;
import dev.teec.verifier.bundle.BundleCheck;
import dev.teec.verifier.bundle.BundleVerification;
import dev.teec.verifier.bundle.ReportSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The plain-text report for one bundle, written for an auditor: the verdict, then what was built,
 * from what, by which builder and image, and then every check.
 */
public final class BundleHumanReport {
  private static final int ID_WIDTH = 24;

  private BundleHumanReport() {}

  /** Prints the report; with {@code quiet} only the verdict line. */
  public static void print(PrintWriter out, BundleVerification v, boolean quiet) {
    out.println(verdict(v));
    if (quiet) {
      return;
    }
    v.summaryUnverified().ifPresent(s -> facts(out, v, s));
    out.println("  checks");
    for (BundleCheck c : v.checks()) {
      out.println(
          String.format(
              Locale.ROOT,
              "  %-4s  %-" + ID_WIDTH + "s  %s",
              c.status(),
              c.id(),
              TerminalText.safe(c.detail())));
    }
    v.attestation()
        .ifPresent(
            a -> {
              for (Check c : a.checks()) {
                if (c.failed()) {
                  out.println(
                      "        attestation " + c.id().id() + ": " + TerminalText.safe(c.detail()));
                }
              }
            });
  }

  /**
   * {@code VERIFIED path (SIMULATED; 1 warning: ...)} or {@code REJECTED path (2 checks failed:
   * ...)}.
   */
  public static String verdict(BundleVerification v) {
    List<String> failed = v.failures();
    if (!failed.isEmpty()) {
      return "REJECTED  "
          + TerminalText.safe(v.input())
          + "  ("
          + plural(failed.size(), "check")
          + " failed: "
          + String.join(", ", failed)
          + ")";
    }
    List<String> warnings = v.warnings();
    String mark = v.simulated() ? "SIMULATED" : v.emulated() ? "EMULATED" : "";
    String note =
        mark
            + (warnings.isEmpty()
                ? ""
                : (mark.isEmpty() ? "" : "; ")
                    + plural(warnings.size(), "warning")
                    + ": "
                    + String.join(", ", warnings));
    return "VERIFIED  " + TerminalText.safe(v.input()) + (note.isEmpty() ? "" : "  (" + note + ")");
  }

  private static void facts(PrintWriter out, BundleVerification v, ReportSummary s) {
    if (!v.verified()) {
      out.println("  what the bundle claims (not established: it was rejected)");
    }
    boolean first = true;
    for (ArtifactResult a : v.artifacts()) {
      if (a.location().equals(ArtifactResult.IN_BUNDLE)) {
        line(
            out,
            first ? "built" : "",
            a.name()
                + "  sha256 "
                + a.actualSha256()
                + (a.status() == ArtifactResult.Status.VERIFIED
                    ? ""
                    : "  (" + a.status().name().toLowerCase(Locale.ROOT) + ")"));
        first = false;
      }
    }
    for (ArtifactResult a : v.artifacts()) {
      if (!a.location().equals(ArtifactResult.IN_BUNDLE)) {
        line(
            out,
            "your file",
            a.location() + " as " + a.name() + ": " + a.status().name().toLowerCase(Locale.ROOT));
      }
    }
    ReportSummary.Source src = s.source();
    line(
        out,
        "from",
        (src.uri() == null && src.commit() == null
                ? "a source archive (no repository or commit recorded)"
                : (src.uri() == null ? "an unnamed repository" : src.uri())
                    + (src.commit() == null ? "" : " @ " + src.commit())
                    + (src.path() == null ? "" : ", directory " + src.path())
                    + (Boolean.TRUE.equals(src.dirty()) ? " WITH UNCOMMITTED CHANGES" : "")
                    + (src.commit() == null
                        ? ""
                        : Boolean.TRUE.equals(src.commitVerified())
                            ? " (commit verified by the worker)"
                            : " (UNVERIFIED commit claim)"))
            + ", archive sha256 "
            + src.archiveSha256());
    if (s.command() != null || s.language() != null) {
      line(
          out,
          "command",
          (s.language() == null ? "" : s.language() + ": ")
              + (s.command() == null ? "" : s.command()));
    }
    String version =
        s.builderVersion().isEmpty()
            ? ""
            : ", "
                + String.join(
                    ", ",
                    s.builderVersion().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .toList());
    line(
        out,
        "builder",
        (nitroTpm(v)
                ? "an EC2 instance attested by NitroTPM, NOT an enclave"
                : s.localBuilder()
                    ? "local worker with a simulated NSM, not an enclave"
                    : v.emulated()
                        ? "worker in an EMULATED Nitro Enclave (QEMU nitro-enclave, unsigned"
                            + " attestation)"
                        : "worker in an AWS Nitro Enclave")
            + " ("
            + s.builderId()
            + version
            + ")");
    String pcr0 = s.image().pcrs().get("0");
    line(
        out,
        "image",
        "PCR0 "
            + pcr0
            + (s.image().registryId() == null ? "" : ", registry id " + s.image().registryId())
            + v.builderUnverified()
                .map(
                    b ->
                        "; attested by module "
                            + b.moduleId()
                            + (b.imageId() == null ? "" : ", registry image " + b.imageId()))
                .orElse(""));
    line(out, "when", s.startedOn() + " to " + s.finishedOn() + ", exit code " + s.exitCode());
    line(
        out,
        "network",
        (s.networkIsolated() ? "isolated" : "NOT isolated")
            + "; "
            + s.dependencies()
            + (s.dependencies() == 1 ? " dependency" : " dependencies")
            + " fetched through the recording proxy");
  }

  /** Whether the attestation is a NitroTPM document (accepted only with --allow-nitro-tpm). */
  private static boolean nitroTpm(BundleVerification v) {
    return v.attestation()
        .flatMap(VerificationResult::decodedUnverified)
        .filter(d -> d.kind() == DocumentKind.NITRO_TPM)
        .isPresent();
  }

  private static void line(PrintWriter out, String label, String text) {
    out.println(String.format(Locale.ROOT, "  %-10s%s", label, TerminalText.safe(text)));
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
