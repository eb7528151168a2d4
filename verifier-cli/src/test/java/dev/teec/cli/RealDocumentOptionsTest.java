package dev.teec.cli;

import static dev.teec.cli.RealDocumentsCliTest.check;
import static dev.teec.cli.RealDocumentsCliTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.SharedVectors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options and output formats against real documents: veracruz-go-1 (a production enclave with
 * user data and a nonce) and evervault-1 (a debug-mode enclave).
 */
class RealDocumentOptionsTest {
  private static final String VERACRUZ = "real/veracruz-go-1.cbor";
  private static final String VERACRUZ_TIME = "2022-11-09T22:52:00.696Z";
  private static final String VERACRUZ_PCR0 =
      "22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d01";
  private static final String VERACRUZ_NONCE =
      "c678c86135de539d183acff58886d98dfb9823041af9f934bf909ac0f8d96245";
  private static final String VERACRUZ_USER_DATA =
      "7c37108079b3e8a36d8a7970de1d6d4ff1461e0e35d9557c4d789df5e0576620";
  private static final String EVERVAULT = "real/evervault-1.cbor";

  @TempDir Path dir;
  private String veracruz;

  @BeforeEach
  void vectors() {
    SharedVectors.assumePresent();
    veracruz = SharedVectors.path(VERACRUZ);
  }

  @Test
  void hexAndBase64Files_verifyLikeTheRawFile() throws IOException {
    byte[] raw = SharedVectors.read(VERACRUZ);
    String hex = HexFormat.of().formatHex(raw);
    String[][] cases = {
      {"wrapped.hex", hex.replaceAll("(.{64})", "$1\n"), "hex"},
      {"prefixed.hex", "0x" + hex.toUpperCase() + "\n", "hex"},
      {"mime.b64", Base64.getMimeEncoder().encodeToString(raw) + "\r\n", "base64"},
      {"url.b64", Base64.getUrlEncoder().withoutPadding().encodeToString(raw), "base64url"},
    };
    JsonNode expected =
        CliRun.teecVerify("doc", "--json", "--at", "document", veracruz)
            .singleJson()
            .get("document");
    for (String[] c : cases) {
      String file =
          Files.writeString(dir.resolve(c[0]), c[1], StandardCharsets.US_ASCII).toString();
      CliRun run = CliRun.teecVerify("doc", "--json", "--at", "document", file);
      assertThat(run.exitCode()).as(c[0] + "\n" + run).isZero();
      JsonNode report = run.singleJson();
      assertThat(report.get("encoding").asText()).as(c[0]).isEqualTo(c[2]);
      assertThat(report.get("document")).as(c[0]).isEqualTo(expected);
    }
  }

  @Test
  void humanReport_verified() {
    CliRun run = CliRun.teecVerify("doc", "--at", "document", veracruz);
    assertThat(run.exitCode()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("VERIFIED  " + veracruz);
    assertThat(lines)
        .contains("  time      T = " + VERACRUZ_TIME + ", the document's timestamp")
        .anyMatch(
            l -> l.matches("  PASS  chain\\.signatures +every certificate's signature verifies.*"))
        .noneMatch(l -> l.startsWith("  FAIL"));
  }

  @Test
  void humanReport_rejected_explainsExpectedAndFound() {
    String evervault = SharedVectors.path(EVERVAULT);
    CliRun run = CliRun.teecVerify("doc", evervault);
    assertThat(run.exitCode()).isEqualTo(1);
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "REJECTED  " + evervault + "  (2 checks failed: chain.validity, policy.debug_mode)");
    int validity =
        indexOfMatch(lines, "  FAIL  chain\\.validity +the leaf certificate .* is expired at .*");
    assertThat(lines.get(validity + 1).trim())
        .isEqualTo("expected: 2022-10-12T13:49:51Z .. 2022-10-12T16:49:54Z");
    assertThat(lines.get(validity + 2).trim()).isEqualTo("found:    " + CliRun.NOW);
    assertThat(lines)
        .anyMatch(
            l -> l.matches("  FAIL  policy\\.debug_mode +debug-mode enclave.*--allow-debug.*"));
  }

  @Test
  void humanReport_verifiedWithWarning_saysSoOnTheVerdictLine() {
    String evervault = SharedVectors.path(EVERVAULT);
    CliRun run = CliRun.teecVerify("doc", "--at", "document", "--allow-debug", evervault);
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().findFirst())
        .contains("VERIFIED  " + evervault + "  (1 warning: policy.debug_mode)");
  }

  @Test
  void matchingExpectations_pass() {
    CliRun run =
        CliRun.teecVerify(
            "doc",
            "--json",
            "--at",
            "document",
            "--expect-pcr",
            "0=" + VERACRUZ_PCR0,
            "--expect-nonce",
            VERACRUZ_NONCE,
            "--expect-user-data",
            VERACRUZ_USER_DATA,
            veracruz);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode report = run.singleJson();
    for (String id : List.of("policy.pcrs", "policy.nonce", "policy.user_data")) {
      assertThat(check(report, id).get("status").asText()).as(id).isEqualTo("PASS");
    }
  }

  @Test
  void mismatchedNonce_failsWithExpectedAndActual() {
    CliRun run =
        CliRun.teecVerify("doc", "--json", "--at", "document", "--expect-nonce", "00", veracruz);
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode report = run.singleJson();
    assertThat(texts(report.get("failures"))).containsExactly("policy.nonce");
    JsonNode nonce = check(report, "policy.nonce");
    assertThat(nonce.get("status").asText()).isEqualTo("FAIL");
    assertThat(nonce.get("expected").asText()).isEqualTo("00");
    assertThat(nonce.get("actual").asText()).isEqualTo(VERACRUZ_NONCE);
    assertThat(nonce.get("spec").asText()).isEqualTo("spec/verifier.md#V7");

    CliRun human = CliRun.teecVerify("doc", "--at", "document", "--expect-nonce", "00", veracruz);
    assertThat(human.out())
        .contains("expected: 00\n")
        .contains("found:    " + VERACRUZ_NONCE + "\n");
  }

  @Test
  void mismatchedPcr_fails() {
    CliRun run =
        CliRun.teecVerify(
            "doc", "--json", "--at", "document", "--expect-pcr", "1=" + VERACRUZ_PCR0, veracruz);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(texts(run.singleJson().get("failures"))).containsExactly("policy.pcrs");
  }

  @Test
  void policyFile_andCommandLine_areBothApplied() throws IOException {
    Path policy =
        Files.writeString(
            dir.resolve("policy.json"), "{\"pcrs\": {\"0\": \"" + VERACRUZ_PCR0 + "\"}}");
    JsonNode ok =
        CliRun.teecVerify(
                "doc",
                "--json",
                "--at",
                "document",
                "--policy",
                policy.toString(),
                "--expect-nonce",
                VERACRUZ_NONCE,
                veracruz)
            .singleJson();
    assertThat(ok.get("verified").asBoolean()).isTrue();
    assertThat(check(ok, "policy.pcrs").get("status").asText()).isEqualTo("PASS");
    assertThat(check(ok, "policy.nonce").get("status").asText()).isEqualTo("PASS");

    JsonNode bad =
        CliRun.teecVerify(
                "doc",
                "--json",
                "--at",
                "document",
                "--policy",
                policy.toString(),
                "--expect-nonce",
                "01",
                veracruz)
            .singleJson();
    assertThat(texts(bad.get("failures"))).containsExactly("policy.nonce");
  }

  @Test
  void root_replacesThePinnedAwsRoot() throws IOException {
    String aws = SharedVectors.path("aws-nitro-root-g1.pem");
    assertThat(
            CliRun.teecVerify("doc", "-q", "--at", "document", "--root", aws, veracruz).exitCode())
        .isZero();

    // Any certificate but the AWS root: the document's own first intermediate, as DER.
    byte[] intermediate =
        AttestationVerifier.builder()
            .build()
            .verify(
                SharedVectors.read(VERACRUZ),
                VerificationOptions.builder().time(VerificationTime.document()).build())
            .decodedUnverified()
            .orElseThrow()
            .cabundle()
            .get(1)
            .toByteArray();
    String other = Files.write(dir.resolve("other.der"), intermediate).toString();
    CliRun run = CliRun.teecVerify("doc", "--json", "--at", "document", "--root", other, veracruz);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(texts(run.singleJson().get("failures"))).contains("chain.root_pinned");

    CliRun either =
        CliRun.teecVerify(
            "doc", "-q", "--at", "document", "--root", other, "--root", aws, veracruz);
    assertThat(either.exitCode()).isZero();
  }

  @Test
  void maxAge_isMeasuredFromTheInjectedClock() {
    CliRun old =
        CliRun.teecVerify("doc", "--json", "--at", "document", "--max-age", "PT10M", veracruz);
    assertThat(texts(old.singleJson().get("failures"))).containsExactly("time.max_age");

    Clock tenMinutesLater =
        Clock.fixed(Instant.parse(VERACRUZ_TIME).plusSeconds(600), ZoneOffset.UTC);
    CliRun fresh =
        CliRun.run(
            TeecVerify::newCommandLine,
            tenMinutesLater,
            "doc",
            "-q",
            "--at",
            "document",
            "--max-age",
            "PT10M",
            veracruz);
    assertThat(fresh.exitCode()).isZero();
  }

  @Test
  void maxFutureSkew_rejectsDocumentsFromTheFuture() {
    Clock hourBefore = Clock.fixed(Instant.parse(VERACRUZ_TIME).minusSeconds(3600), ZoneOffset.UTC);
    CliRun run =
        CliRun.run(
            TeecVerify::newCommandLine,
            hourBefore,
            "doc",
            "--json",
            "--at",
            "document",
            "--max-future-skew",
            "PT1M",
            veracruz);
    assertThat(texts(run.singleJson().get("failures"))).containsExactly("time.future_skew");
  }

  @Test
  void severalFiles_oneLineEach_inOrder_exit1WhenAnyIsRejected() throws IOException {
    String garbage = Files.write(dir.resolve("garbage"), new byte[] {0}).toString();
    CliRun run =
        CliRun.teecVerify("doc", "--json", "--at", "document", veracruz, garbage, veracruz);
    assertThat(run.exitCode()).isEqualTo(1);
    List<JsonNode> reports = run.json();
    assertThat(reports)
        .extracting(r -> r.get("input").asText())
        .containsExactly(veracruz, garbage, veracruz);
    assertThat(reports)
        .extracting(r -> r.get("verified").asBoolean())
        .containsExactly(true, false, true);
  }

  private static int indexOfMatch(List<String> lines, String regex) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches(regex)) {
        return i;
      }
    }
    throw new AssertionError("no line matches " + regex + " in\n" + String.join("\n", lines));
  }
}
