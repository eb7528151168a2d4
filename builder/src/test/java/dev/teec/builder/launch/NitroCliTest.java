package dev.teec.builder.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NitroCliTest {
  private static NitroCli answering(int exit, String stdout, String stderr) {
    return new NitroCli(
        "nitro-cli", (command, timeout) -> new CommandRunner.CommandResult(exit, stdout, stderr));
  }

  @Test
  void runEnclave_outputWithoutJson_saysWhatItPrinted() {
    assertThatThrownBy(
            () ->
                answering(0, "Started enclave\n", "")
                    .runEnclave(Path.of("x.eif"), 2, 512, OptionalLong.empty(), false))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("printed no JSON")
        .hasMessageContaining("Started enclave");
  }

  @Test
  void runEnclave_jsonWithoutCid_refused() {
    assertThatThrownBy(
            () ->
                answering(0, "{\"EnclaveID\": \"i-1-enc2\"}", "")
                    .runEnclave(Path.of("x.eif"), 2, 512, OptionalLong.empty(), false))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("EnclaveCID");
  }

  @Test
  void terminate_notConfirmed_isAnError() {
    assertThatThrownBy(
            () ->
                answering(0, "{\"EnclaveID\": \"i-1-enc2\", \"Terminated\": false}", "")
                    .terminateEnclave("i-1-enc2"))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("did not confirm");
  }

  @Test
  void describeEif_malformedPcr_refused() {
    assertThatThrownBy(
            () ->
                answering(
                        0,
                        "{\"Measurements\": {\"PCR0\": \"00\", \"PCR1\": \"00\", \"PCR2\": \"00\"}}",
                        "")
                    .describeEif(Path.of("x.eif")))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("Measurements.PCR0");
  }

  @Test
  void describeEnclaves_parsesFlags() throws Exception {
    var enclaves =
        answering(
                0,
                "[{\"EnclaveID\": \"i-1-enc2\", \"EnclaveCID\": 17, \"NumberOfCPUs\": 2,"
                    + " \"MemoryMiB\": 1024, \"State\": \"RUNNING\", \"Flags\": \"DEBUG_MODE\"}]",
                "")
            .describeEnclaves();
    assertThat(enclaves)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.cid()).isEqualTo(17);
              assertThat(e.debugMode()).isTrue();
            });
  }

  @Test
  void missingExecutable_isALaunchException() {
    NitroCli cli = new NitroCli("/nonexistent/nitro-cli", CommandRunner.PROCESSES);
    assertThatThrownBy(cli::describeEnclaves)
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("cannot run /nonexistent/nitro-cli describe-enclaves");
  }
}
