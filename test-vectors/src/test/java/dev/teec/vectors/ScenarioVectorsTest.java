package dev.teec.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Check;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.Policy;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.VerificationTime;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the verifier on every committed scenario exactly as its expected.json prescribes. */
class ScenarioVectorsTest {

  static List<String> scenarios() {
    return CommittedVectors.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario_verifierReachesExpectedOutcome(String scenario) throws Exception {
    CBORObject expected = CommittedVectors.expected(scenario);
    Instant verifyAt = Instant.parse(expected.get("verifyAt").AsString());
    CBORObject options = expected.get("options");

    AttestationVerifier verifier =
        AttestationVerifier.builder()
            .clock(Clock.fixed(verifyAt, ZoneOffset.UTC))
            .trustAnchors(
                TrustAnchors.of(
                    TrustAnchors.readPem(
                        new ByteArrayInputStream(
                            CommittedVectors.read(scenario, GenerateVectors.ROOT)))))
            .build();
    VerificationOptions.Builder opts =
        VerificationOptions.builder().time(VerificationTime.at(verifyAt));
    if (options.ContainsKey("policy")) {
      opts.policy(
          Policy.fromJson(
              new ByteArrayInputStream(
                  options.get("policy").ToJSONString().getBytes(StandardCharsets.UTF_8))));
    }
    if (options.ContainsKey("maxAge")) {
      opts.maxAge(Duration.parse(options.get("maxAge").AsString()));
    }
    if (options.ContainsKey("maxFutureSkew")) {
      opts.maxFutureSkew(Duration.parse(options.get("maxFutureSkew").AsString()));
    }

    VerificationResult result = verifier.verify(CommittedVectors.document(scenario), opts.build());

    String failures =
        result.failedChecks().stream()
            .map(c -> c.id() + ": " + c.detail())
            .collect(Collectors.joining("; ", "failed checks: [", "]"));
    assertThat(result.verified()).as(failures).isEqualTo(expected.get("verified").AsBoolean());
    if (!expected.get("failedCheck").isNull()) {
      assertThat(result.failures())
          .as(failures)
          .first()
          .isEqualTo(checkId(expected.get("failedCheck").AsString()));
    }
    assertThat(
            result.checks().stream()
                .filter(c -> c.status() == CheckStatus.WARN)
                .map(Check::id)
                .toList())
        .isEqualTo(checkIds(expected.get("warnings")));
    if (!expected.get("documentKind").isNull()) {
      assertThat(result.decodedUnverified())
          .get()
          .extracting(d -> d.kind().name())
          .isEqualTo(expected.get("documentKind").AsString());
    }
  }

  @Test
  void scenarios_failOrWarnEveryCheck() {
    List<CheckId> covered = new ArrayList<>();
    for (String scenario : scenarios()) {
      CBORObject expected = CommittedVectors.expected(scenario);
      if (!expected.get("failedCheck").isNull()) {
        covered.add(checkId(expected.get("failedCheck").AsString()));
      }
      covered.addAll(checkIds(expected.get("warnings")));
    }

    assertThat(covered).containsAll(Arrays.asList(CheckId.values()));
  }

  @Test
  void readme_describesEveryScenario() throws Exception {
    String readme = Files.readString(Path.of("README.md"));

    assertThat(scenarios()).allSatisfy(name -> assertThat(readme).contains("| `" + name + "` |"));
  }

  private static List<CheckId> checkIds(CBORObject array) {
    List<CheckId> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      out.add(checkId(array.get(i).AsString()));
    }
    return out;
  }

  private static CheckId checkId(String id) {
    return Arrays.stream(CheckId.values())
        .filter(c -> c.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no CheckId with id " + id));
  }
}
