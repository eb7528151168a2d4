package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.verifier.Bytes;
import dev.teec.verifier.Policy;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Parse-only: how the verification options become {@link VerificationOptions}. */
class VerificationMixinTest {
  private static final Bytes A = Bytes.fromHex("aa".repeat(48));
  private static final Bytes B = Bytes.fromHex("bb".repeat(48));

  @TempDir Path dir;

  @Test
  void defaults_areNowAndTheStrictPolicy() {
    VerificationOptions options = parse().options();
    assertThat(options.time()).isEqualTo(VerificationTime.now());
    Policy policy = options.policy();
    assertThat(policy.expectedPcrs()).isEmpty();
    assertThat(policy.allowDebug()).isFalse();
    assertThat(policy.expectedNonce()).isEmpty();
    assertThat(options.maxAge()).isEmpty();
    assertThat(options.maxFutureSkew()).isEmpty();
  }

  @Test
  void everyOption_reachesTheOptions() {
    VerificationOptions options =
        parse(
                "--at",
                "2024-05-01T12:00:00Z",
                "--expect-pcr",
                "0=" + A.hex(),
                "--expect-pcr",
                "8=0x" + B.hex().toUpperCase(),
                "--allow-debug",
                "--expect-user-data",
                "0a0b",
                "--expect-nonce",
                "0x0102",
                "--expect-public-key",
                "",
                "--max-age",
                "PT10M",
                "--max-future-skew",
                "PT1M")
            .options();
    assertThat(options.time())
        .isEqualTo(VerificationTime.at(Instant.parse("2024-05-01T12:00:00Z")));
    Policy policy = options.policy();
    assertThat(policy.expectedPcrs()).containsExactlyEntriesOf(new TreeMap<>(Map.of(0, A, 8, B)));
    assertThat(policy.allowDebug()).isTrue();
    assertThat(policy.expectedUserData()).contains(Bytes.fromHex("0a0b"));
    assertThat(policy.expectedNonce()).contains(Bytes.fromHex("0102"));
    assertThat(policy.expectedPublicKey()).contains(Bytes.empty());
    assertThat(options.maxAge()).contains(Duration.ofMinutes(10));
    assertThat(options.maxFutureSkew()).contains(Duration.ofMinutes(1));
  }

  @Test
  void samePcrValueTwice_isNoConflict() {
    Policy policy =
        parse("--expect-pcr", "0=" + A.hex(), "--expect-pcr", "0=" + A.hex()).options().policy();
    assertThat(policy.expectedPcrs()).containsOnlyKeys(0);
  }

  @Test
  void commandLineExpectations_addToThePolicyFile() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("p.json"),
            "{\"pcrs\": {\"1\": \"" + B.hex() + "\"}, \"allowDebug\": true, \"nonce\": \"0102\"}");
    Policy policy =
        parse(
                "--policy",
                file.toString(),
                "--expect-pcr",
                "0=" + A.hex(),
                "--expect-nonce",
                "0102",
                "--expect-user-data",
                "ff")
            .options()
            .policy();
    assertThat(policy.expectedPcrs()).containsOnlyKeys(0, 1);
    assertThat(policy.allowDebug()).isTrue();
    assertThat(policy.expectedNonce()).contains(Bytes.fromHex("0102"));
    assertThat(policy.expectedUserData()).contains(Bytes.fromHex("ff"));
  }

  @Test
  void conflictWithThePolicyFile_isAParameterException() throws IOException {
    Path file = Files.writeString(dir.resolve("p.json"), "{\"userData\": \"01\"}");
    VerificationMixin mixin = parse("--policy", file.toString(), "--expect-user-data", "02");
    assertThatThrownBy(mixin::options)
        .isInstanceOf(ParameterException.class)
        .hasMessage("--expect-user-data 02 conflicts with userData 01 in --policy " + file);
  }

  @Test
  void badValues_failWhileParsing() {
    assertThatThrownBy(() -> parse("--expect-pcr", "0=" + A.hex().substring(2)))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("'--expect-pcr'");
    assertThatThrownBy(() -> parse("--max-age", "P-1D")).isInstanceOf(ParameterException.class);
  }

  private static VerificationMixin parse(String... args) {
    return CommandLine.populateCommand(new Holder(), args).verification;
  }

  /** The mixin needs a command to mix into: it reports errors against that command. */
  @Command(name = "holder")
  static final class Holder {
    final VerificationMixin verification = new VerificationMixin();

    @Mixin CommandSpec options = CommandModels.mixin(verification.optionSpecs());
  }
}
