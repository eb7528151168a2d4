package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.builder.progress.TerminalText;
import dev.teec.verifier.CheckId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit codes and output shapes that need no real document. */
class VerifyDocCommandTest {
  @TempDir Path dir;
  private String garbage;

  @BeforeEach
  void garbageDocument() throws IOException {
    garbage = Files.write(dir.resolve("garbage.cbor"), new byte[] {1, 2, 3}).toString();
  }

  @Test
  void garbage_isRejectedWithExit1_andAHumanReport() {
    CliRun run = CliRun.teecVerify("doc", garbage);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo("REJECTED  " + garbage + "  (1 check failed: cbor.well_formed)");
    assertThat(lines).contains("  input     raw, 3 bytes", "  document  not decoded");
    assertThat(lines).anyMatch(l -> l.matches("  FAIL  cbor\\.well_formed +\\S.*"));
    assertThat(lines).anyMatch(l -> l.matches("  PASS  input\\.size +3 bytes.*"));
    assertThat(run.err())
        .isEqualTo(
            "Next: it is not a well-formed Nitro attestation document: give the raw COSE bytes,"
                + " or the same as hex or base64"
                + System.lineSeparator());
  }

  @Test
  void quiet_printsOnlyTheVerdicts() {
    CliRun run = CliRun.teecVerify("doc", "-q", garbage, garbage);
    assertThat(run.out().lines()).allMatch(l -> l.startsWith("REJECTED  ")).hasSize(2);
  }

  @Test
  void files_betweenOptions_areAllVerified_andTheOptionsApply() throws IOException {
    String second = Files.write(dir.resolve("second"), new byte[] {4}).toString();
    String third = Files.write(dir.resolve("third.cbor"), new byte[] {5}).toString();

    CliRun run = CliRun.teecVerify("doc", garbage, second, "-q", third, "--jobs", "2", garbage);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out().lines().map(l -> l.split("  ")[1]))
        .containsExactly(garbage, second, third, garbage);
    assertThat(run.out().lines()).allMatch(l -> l.startsWith("REJECTED  "));
  }

  @Test
  void argumentNamedLikeANumber_orAfterDoubleDash_isAFile() {
    // "-5" resembles no option, so picocli takes it as a FILE (here a missing one); after "--"
    // every argument is a FILE.
    CliRun number = CliRun.teecVerify("doc", garbage, "-5", garbage);
    CliRun dashed = CliRun.teecVerify("doc", garbage, "--", garbage, "-q");

    assertThat(number.exitCode()).as(number.toString()).isEqualTo(2);
    assertThat(number.err()).contains("-5: no such file");
    assertThat(dashed.exitCode()).as(dashed.toString()).isEqualTo(2);
    assertThat(dashed.err()).contains("-q: no such file");
    assertThat(number.out()).isEmpty();
    assertThat(dashed.out()).isEmpty();
  }

  @Test
  void unknownOption_afterFiles_isAUsageError_andNothingIsVerified() {
    CliRun run = CliRun.teecVerify("doc", garbage, garbage, "--no-such-option", garbage);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--no-such-option'");
    assertThat(run.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void jobs_unreadableLastFile_isAUsageError_andNothingIsPrinted(int jobs) {
    List<String> args = new ArrayList<>(List.of("doc", "--jobs", String.valueOf(jobs)));
    for (int i = 0; i < 50; i++) {
      args.add(garbage);
    }
    String missing = dir.resolve("missing.cbor").toString();
    args.add(missing);

    CliRun run = CliRun.teecVerify(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains(missing + ": no such file");
    assertThat(run.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void jobs_setupErrorAndUnreadableFile_theSetupErrorIsReported(int jobs) {
    String root = dir.resolve("none.pem").toString();
    String missing = dir.resolve("missing.cbor").toString();

    CliRun run =
        CliRun.teecVerify("doc", "--jobs", String.valueOf(jobs), "--root", root, missing, garbage);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("--root " + root + ": no such file").doesNotContain(missing);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void json_hasOneObjectPerInput_withEveryCheckInOrder() {
    CliRun run = CliRun.teecVerify("doc", "--json", garbage, garbage);

    assertThat(run.exitCode()).isEqualTo(1);
    List<JsonNode> reports = run.json();
    assertThat(reports).hasSize(2);
    JsonNode report = reports.get(0);
    assertThat(fieldNames(report))
        .containsExactly(
            "input",
            "encoding",
            "verified",
            "failures",
            "checks",
            "verifiedAt",
            "timeMode",
            "document",
            "certificates");
    assertThat(report.get("input").asText()).isEqualTo(garbage);
    assertThat(report.get("encoding").asText()).isEqualTo("raw");
    assertThat(report.get("verified").asBoolean()).isFalse();
    assertThat(RealDocumentsCliTest.texts(report.get("failures")))
        .containsExactly("cbor.well_formed");
    assertThat(report.get("verifiedAt").asText()).isEqualTo(CliRun.NOW.toString());
    assertThat(report.get("timeMode").asText()).isEqualTo("now");
    assertThat(report.get("document").isNull()).isTrue();
    assertThat(report.get("certificates")).isEmpty();

    JsonNode checks = report.get("checks");
    assertThat(checks).hasSize(CheckId.values().length);
    for (int i = 0; i < checks.size(); i++) {
      JsonNode c = checks.get(i);
      CheckId id = CheckId.values()[i];
      assertThat(c.get("id").asText()).isEqualTo(id.id());
      assertThat(c.get("status").asText()).isIn("PASS", "FAIL", "WARN", "SKIP");
      assertThat(c.get("detail").asText()).isNotBlank();
      assertThat(c.get("spec").asText()).isEqualTo(id.specReference());
      // expected/actual appear only with a value, never as null.
      assertThat(c.has("expected") ? c.get("expected").isTextual() : true).isTrue();
      assertThat(c.has("actual") ? c.get("actual").isTextual() : true).isTrue();
    }
  }

  @Test
  void json_atDocument_withoutADocument_hasNoVerificationTime() {
    JsonNode report = CliRun.teecVerify("doc", "--json", "--at", "document", garbage).singleJson();
    assertThat(report.get("verifiedAt").isNull()).isTrue();
    assertThat(report.get("timeMode").asText()).isEqualTo("document");
  }

  @Test
  void json_atFixedInstant_reportsIt() {
    JsonNode report =
        CliRun.teecVerify("doc", "--json", "--at", "2024-05-01T12:00:00Z", garbage).singleJson();
    assertThat(report.get("verifiedAt").asText()).isEqualTo("2024-05-01T12:00:00Z");
    assertThat(report.get("timeMode").asText()).isEqualTo("fixed");
  }

  @Test
  void failingClock_isAnInternalError_withExit3_andNoTrace() {
    CliRun run = CliRun.run(TeecVerify::newCommandLine, failingClock(), "doc", garbage);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err().lines().toList())
        .containsExactly(
            "teec-verify doc: internal error: java.lang.IllegalStateException: clock broken",
            "Next: run again with --stacktrace to see where it happened, and report it");
  }

  @Test
  void failingClock_withStacktrace_printsTheTrace() {
    CliRun run =
        CliRun.run(TeecVerify::newCommandLine, failingClock(), "doc", "--stacktrace", garbage);
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains("internal error").contains("\tat ");
  }

  @Test
  void jvmError_isAnInternalError_notARejection() {
    Clock clock =
        new SuppliedClock(
            () -> {
              throw new AssertionError("boom");
            });
    CliRun run = CliRun.run(TeecVerify::newCommandLine, clock, "doc", garbage);
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).startsWith("teec-verify: internal error: java.lang.AssertionError: boom");
  }

  @Test
  void jobs_manyDocuments_printTheSameOutputInInputOrderAsOneJob() throws IOException {
    List<String> files = new ArrayList<>();
    try (var dirs = Files.list(generatedVectors())) {
      dirs.sorted()
          .map(d -> d.resolve("document.cbor"))
          .filter(Files::isRegularFile)
          .forEach(f -> files.add(f.toString()));
    }
    files.add(garbage);
    List<String> inputs = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      inputs.addAll(files);
    }
    for (List<String> mode : List.of(List.<String>of(), List.of("--json"), List.of("-q"))) {
      CliRun one = docWithJobs(1, mode, inputs);
      CliRun four = docWithJobs(4, mode, inputs);
      assertThat(one.exitCode()).as(one.toString()).isEqualTo(1);
      assertThat(four.exitCode()).isEqualTo(one.exitCode());
      assertThat(four.out()).as("output with " + mode).isEqualTo(one.out());
      assertThat(four.err())
          .isEqualTo(one.err())
          .isEqualTo(
              "Next: do not trust it: its signatures do not verify" + System.lineSeparator());
    }
    List<String> verdictPaths =
        docWithJobs(4, List.of("-q"), inputs).out().lines().map(l -> l.split("  ")[1]).toList();
    assertThat(verdictPaths).isEqualTo(inputs);
  }

  @Test
  void jobs_belowOne_isAUsageError() {
    CliRun run = CliRun.teecVerify("doc", "--jobs", "0", garbage);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--jobs must be at least 1, not 0");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void failingClock_onSeveralThreads_isStillAnInternalError() {
    CliRun run =
        CliRun.run(
            TeecVerify::newCommandLine, failingClock(), "doc", "--jobs", "2", garbage, garbage);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err().lines().toList())
        .containsExactly(
            "teec-verify doc: internal error: java.lang.IllegalStateException: clock broken",
            "Next: run again with --stacktrace to see where it happened, and report it");
  }

  private static CliRun docWithJobs(int jobs, List<String> options, List<String> files) {
    List<String> args = new ArrayList<>(List.of("doc", "--at", "2025-06-01T12:00:00Z"));
    args.add("--jobs");
    args.add(String.valueOf(jobs));
    args.addAll(options);
    args.addAll(files);
    return CliRun.teecVerify(args.toArray(String[]::new));
  }

  /** test-vectors/vectors of this repository (the tests run in verifier-cli/). */
  private static Path generatedVectors() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("test-vectors/vectors");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        "test-vectors/vectors not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void help_listsTheExitCodes() {
    List<CliRun> helps =
        List.of(
            CliRun.teecVerify("doc", "--help"), CliRun.teecVerify("--help"), CliRun.teec("--help"));
    for (CliRun run : helps) {
      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .contains("Exit codes:")
          .contains("0   every input verified")
          .contains("1   at least one input was rejected")
          .contains("2   usage error")
          .contains("3   internal error");
    }
    assertThat(CliRun.teecVerify("doc", "--help").out()).doesNotContain("--stacktrace");
  }

  @Test
  void version_namesTheRootCommand() {
    assertThat(CliRun.teecVerify("--version").out())
        .matches("teec-verify \\d+\\.\\d+\\.\\d+\\S*\\R");
    assertThat(CliRun.teec("--version").out()).matches("teec \\d+\\.\\d+\\.\\d+\\S*\\R");
    assertThat(CliRun.teec("verify", "doc", "--version").out()).startsWith("teec ");
  }

  @Test
  void teecVerify_isTheSameCommandUnderTeec() {
    CliRun direct = CliRun.teecVerify("doc", "--json", garbage);
    CliRun umbrella = CliRun.teec("verify", "doc", "--json", garbage);
    assertThat(umbrella.exitCode()).isEqualTo(direct.exitCode());
    assertThat(umbrella.out()).isEqualTo(direct.out());
  }

  @Test
  void humanReport_escapesControlCharactersFromDocuments() {
    assertThat(TerminalText.safe("i-1\u001b[31mred\u0007")).isEqualTo("i-1\\u001b[31mred\\u0007");
    assertThat(TerminalText.safe("CN=caf\u00e9")).isEqualTo("CN=caf\u00e9");
  }

  private static Clock failingClock() {
    return new SuppliedClock(
        () -> {
          throw new IllegalStateException("clock broken");
        });
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** A clock whose instant comes from a supplier, to inject failures into the verifier. */
  private static final class SuppliedClock extends Clock {
    private final Supplier<Instant> instant;

    SuppliedClock(Supplier<Instant> instant) {
      this.instant = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return instant.get();
    }
  }

  /** A NitroTPM document (test vector, test root) where an enclave's is expected. */
  private static final String TPM_DIR = "../test-vectors/vectors/nitrotpm-document/";

  @Test
  void nitroTpmDocument_isRejectedByDefault_andAcceptedNamedWithAllowNitroTpm() {
    String doc = TPM_DIR + "document.cbor";
    String root = TPM_DIR + "root.pem";
    CliRun rejected = CliRun.teecVerify("doc", "--root", root, "--at", "document", doc);
    assertThat(rejected.exitCode()).as(rejected.toString()).isEqualTo(1);
    assertThat(rejected.out())
        .startsWith("REJECTED  " + doc + "  (1 check failed: policy.document_kind)")
        .contains("not a Nitro Enclave document");

    CliRun allowed =
        CliRun.teecVerify("doc", "--root", root, "--at", "document", "--allow-nitro-tpm", doc);
    assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
    assertThat(allowed.out())
        .startsWith("VERIFIED  " + doc + "  (1 warning: policy.document_kind)")
        .contains("nitro-tpm");
    CliRun json =
        CliRun.teecVerify(
            "doc", "--root", root, "--at", "document", "--allow-nitro-tpm", "--json", doc);
    assertThat(json.singleJson().get("document").get("kind").asText()).isEqualTo("nitro-tpm");
  }
}
