package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Everything wrong with a command line is exit 2 with one line naming the option or file, the
 * synopsis and a last line saying what to do next; never a stack trace, never output on stdout.
 */
class UsageErrorTest {
  private static final String ZERO_48 =
      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
  private static final String PCR_A = "0=" + "aa".repeat(48);
  private static final String PCR_B = "0=" + "bb".repeat(48);

  @TempDir Path dir;
  private String doc;

  @BeforeEach
  void garbageDocument() throws IOException {
    doc = Files.write(dir.resolve("doc.cbor"), new byte[] {1, 2, 3}).toString();
  }

  @Test
  void unknownOption_suggestsTheNearestOne() {
    CliRun run = CliRun.teecVerify("doc", "--expect-pcrs", PCR_A, doc);
    assertUsageError(run, "Unknown option: '--expect-pcrs'");
    assertThat(run.err()).contains("Possible solutions: --expect-pcr");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--expect-nonce", "--expect-user-data", "--expect-public-key"})
  void badHex_namesTheOption(String option) {
    assertUsageError(
        CliRun.teecVerify("doc", option, "xyz1", doc), "'" + option + "'", "'xyz1' is not hex");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "foo|'foo' is not N=HEX",
        "x=00|'x' is not a PCR index",
        "0=zz|'zz' is not hex",
        "0=00|PCR0 value has 1 bytes",
        "32=" + ZERO_48 + "|PCR index 32 is outside 0..31"
      })
  void badExpectPcr_namesTheOptionAndTheProblem(String value, String problem) {
    assertUsageError(
        CliRun.teecVerify("doc", "--expect-pcr", value, doc), "'--expect-pcr'", problem);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2024-05-01", "1714564800"})
  void badAt_namesTheOption(String value) {
    assertUsageError(
        CliRun.teecVerify("doc", "--at", value, doc),
        "'--at'",
        "'" + value + "' is not 'now', 'document'");
  }

  @ParameterizedTest
  @CsvSource({"--max-age,10m,is not an ISO-8601 duration", "--max-future-skew,-PT1M,is negative"})
  void badDuration_namesTheOption(String option, String value, String problem) {
    assertUsageError(CliRun.teecVerify("doc", option, value, doc), "'" + option + "'", problem);
  }

  @Test
  void samePcrPinnedToTwoValues_isAConflict() {
    assertUsageError(
        CliRun.teecVerify("doc", "--expect-pcr", PCR_A, "--expect-pcr", PCR_B, doc),
        "--expect-pcr " + PCR_B + " conflicts with another --expect-pcr");
  }

  @Test
  void pcrPinnedDifferentlyByThePolicy_isAConflict() throws IOException {
    Path policy = write("policy.json", "{\"pcrs\": {\"0\": \"" + "aa".repeat(48) + "\"}}");
    assertUsageError(
        CliRun.teecVerify("doc", "--policy", policy.toString(), "--expect-pcr", PCR_B, doc),
        "conflicts with the value in --policy " + policy);
  }

  @Test
  void nonceExpectedDifferentlyByThePolicy_isAConflict() throws IOException {
    Path policy = write("policy.json", "{\"nonce\": \"0102\"}");
    assertUsageError(
        CliRun.teecVerify("doc", "--policy", policy.toString(), "--expect-nonce", "0103", doc),
        "--expect-nonce 0103 conflicts with nonce 0102 in --policy " + policy);
  }

  @Test
  void missingFile_isNamed_andNothingIsVerified() {
    String missing = dir.resolve("missing.cbor").toString();
    CliRun run = CliRun.teecVerify("doc", doc, missing);
    assertUsageError(run, missing + ": no such file");
  }

  @Test
  void directory_isNamed() {
    assertUsageError(CliRun.teecVerify("doc", dir.toString()), dir + ": is a directory");
  }

  @Test
  void noFile_isAUsageError() {
    assertUsageError(CliRun.teecVerify("doc"), "Missing required parameter: 'FILE'");
  }

  @Test
  void missingPolicyFile_isNamed() {
    String missing = dir.resolve("nope.json").toString();
    assertUsageError(
        CliRun.teecVerify("doc", "--policy", missing, doc),
        "--policy " + missing + ": no such file");
  }

  @Test
  void malformedPolicy_namesTheFileAndTheJsonPath() throws IOException {
    Path policy = write("policy.json", "{\"pcrs\": {\"0\": \"zz\"}}");
    assertUsageError(
        CliRun.teecVerify("doc", "--policy", policy.toString(), doc),
        "--policy " + policy + ": $.pcrs.0");
  }

  @Test
  void rootThatIsNoCertificate_isNamed() throws IOException {
    Path root = write("root.pem", "not a certificate");
    assertUsageError(
        CliRun.teecVerify("doc", "--root", root.toString(), doc),
        "--root " + root + ": not a PEM or DER certificate");
  }

  @Test
  void optionGivenTwice_isAUsageError() {
    assertUsageError(
        CliRun.teecVerify("doc", "--at", "now", "--at", "document", doc),
        "'--at'",
        "should be specified only once");
  }

  @Test
  void missingSubcommand_isAUsageError() {
    assertUsageError(CliRun.teecVerify(), "Missing required subcommand");
    assertUsageError(CliRun.teec("verify"), "Missing required subcommand");
  }

  @Test
  void underTeec_messagesNameTheFullCommand() {
    CliRun run = CliRun.teec("verify", "doc", "--bogus", doc);
    assertUsageError(run, "teec verify doc: Unknown option: '--bogus'");
    assertThat(run.err()).endsWith("Next: see 'teec verify doc --help'" + System.lineSeparator());
  }

  @Test
  void stacktraceOption_addsTheTraceToAUsageError() {
    CliRun run = CliRun.teecVerify("doc", "--stacktrace", "--at", "soon", doc);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("ParameterException").contains("\tat ");
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static void assertUsageError(CliRun run, String... fragments) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).as("stdout").isEmpty();
    String first = run.err().lines().findFirst().orElse("");
    for (String fragment : fragments) {
      assertThat(first).as(run.toString()).contains(fragment);
    }
    assertThat(run.err()).contains("Usage: ");
    assertThat(run.err().lines().reduce((a, b) -> b).orElse("")).startsWith("Next: ");
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }
}
