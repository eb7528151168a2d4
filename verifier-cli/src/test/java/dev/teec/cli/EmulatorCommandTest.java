package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code teec emulator}'s refusals, which need no emulator. */
class EmulatorCommandTest {
  @TempDir Path temp;

  private CliRun teec(Map<String, String> env, String... args) {
    return CliRun.run(clock -> Teec.newCommandLine(clock, env), CliRun.CLOCK, args);
  }

  @Test
  void setup_hostWithoutTheTools_failsNamingThemAndLeavesNothing() {
    CliRun r =
        teec(
            Map.of("TEEC_HOME", temp.toString(), "PATH", temp.resolve("empty").toString()),
            "emulator",
            "setup",
            "--json");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(CliSupport.REJECTED);
    assertThat(r.err())
        .contains(
            "step 'check the host's tools' failed: missing on this host: sh, mmdebstrap, curl",
            "apt-get install mmdebstrap");
    assertThat(r.out()).isEmpty();
    assertThat(temp.resolve("emulator/setup")).doesNotExist();
  }

  @Test
  void image_beforeSetup_usageErrorSayingToRunSetup() {
    CliRun r = teec(Map.of("TEEC_HOME", temp.toString()), "emulator", "image", "c", "--json");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(CliSupport.USAGE);
    assertThat(r.err()).contains("the emulator is not set up", "run 'teec emulator setup' first");
  }

  @Test
  void image_extraCaCertsWithoutACertificate_usageErrorNamingTheFile() throws Exception {
    Path key =
        Files.writeString(
            temp.resolve("key.pem"),
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    CliRun r =
        teec(
            Map.of("TEEC_HOME", temp.toString()),
            "emulator",
            "image",
            "maven",
            "--extra-ca-certs",
            key.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(CliSupport.USAGE);
    assertThat(r.err())
        .contains(
            "--extra-ca-certs " + key + " line 1: a PRIVATE KEY block; only CERTIFICATE blocks");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void image_unknownLanguage_usageError() {
    CliRun r = teec(Map.of("TEEC_HOME", temp.toString()), "emulator", "image", "cobol");
    assertThat(r.exitCode()).isEqualTo(CliSupport.USAGE);
    assertThat(r.err()).contains("unknown language 'cobol' (known: c, rust, go, maven)");
  }

  @Test
  void nitroCliDescribeEif_printsNitroCliShapeWithoutASetup() throws Exception {
    Path k = Files.write(temp.resolve("k"), new byte[] {1});
    Path eif = temp.resolve("x.eif");
    dev.teec.truststore.eif.EifWriter.builder()
        .kernel(k)
        .cmdline("c")
        .addRamdisk(k)
        .build()
        .write(eif);
    CliRun r =
        teec(
            Map.of("TEEC_HOME", temp.toString()),
            "emulator",
            "nitro-cli",
            "describe-eif",
            "--eif-path",
            eif.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(CliSupport.OK);
    assertThat(r.singleJson().path("Measurements").path("PCR0").asText()).matches("[0-9a-f]{96}");
    assertThat(r.singleJson().path("IsSigned").asBoolean(true)).isFalse();
  }

  @Test
  void nitroCliTerminate_needsExactlyOneOfIdOrAll() {
    CliRun r =
        teec(Map.of("TEEC_HOME", temp.toString()), "emulator", "nitro-cli", "terminate-enclave");
    assertThat(r.exitCode()).isEqualTo(CliSupport.USAGE);
  }
}
