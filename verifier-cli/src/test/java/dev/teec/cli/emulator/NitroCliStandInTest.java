package dev.teec.cli.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.builder.launch.CommandRunner;
import dev.teec.builder.launch.NitroCli;
import dev.teec.emulator.enclave.EnclaveRecord;
import dev.teec.emulator.enclave.NitroCliJson;
import dev.teec.truststore.eif.EifReader;
import dev.teec.truststore.eif.EifWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the stand-in prints is what teec's nitro-cli client (builder) reads. */
class NitroCliStandInTest {
  @TempDir Path temp;

  private final EnclaveRecord enclave =
      new EnclaveRecord(
          "i-0123456789abcdef0-enc0123456789abcdef",
          "teec-c",
          16,
          2,
          4096,
          true,
          Path.of("/x/teec-c.eif"),
          Optional.of(new EnclaveRecord.ProcessRef(4242, 1)),
          Optional.of(new EnclaveRecord.ProcessRef(4241, 1)));

  @Test
  void runAndDescribeAndTerminate_parsedByTeecsNitroCliClient() throws Exception {
    NitroCli cli =
        new NitroCli(
            "nitro-cli",
            answering(
                Map.of(
                    "run-enclave", NitroCliJson.started(enclave).toString(),
                    "describe-enclaves", NitroCliJson.described(List.of(enclave)).toString(),
                    "terminate-enclave", NitroCliJson.terminated(enclave).toString())));
    NitroCli.Enclave started =
        cli.runEnclave(Path.of("/x/teec-c.eif"), 2, 4096, OptionalLong.empty(), true);
    assertThat(started).isEqualTo(new NitroCli.Enclave(enclave.id(), 16, 2, 4096, ""));
    NitroCli.Enclave described = cli.describeEnclaves().get(0);
    assertThat(described.id()).isEqualTo(enclave.id());
    assertThat(described.debugMode()).isTrue();
    cli.terminateEnclave(enclave.id());
  }

  @Test
  void describeEif_parsedByTeecsNitroCliClient_equalsTeecImageMeasure() throws Exception {
    Path kernel = Files.write(temp.resolve("k"), new byte[] {1, 2, 3});
    Path ramdisk = Files.write(temp.resolve("r"), new byte[] {4, 5});
    Path eif = temp.resolve("x.eif");
    EifWriter.builder()
        .kernel(kernel)
        .cmdline("console=ttyS0")
        .addRamdisk(ramdisk)
        .addRamdisk(ramdisk)
        .build()
        .write(eif);
    var m = EifReader.measure(eif);
    NitroCli cli =
        new NitroCli(
            "nitro-cli", answering(Map.of("describe-eif", NitroCliJson.eif(eif, m).toString())));
    assertThat(cli.describeEif(eif))
        .isEqualTo(Map.of(0, m.pcr0().hex(), 1, m.pcr1().hex(), 2, m.pcr2().hex()));
  }

  private static CommandRunner answering(Map<String, String> byCommand) {
    return (command, timeout) ->
        new CommandRunner.CommandResult(0, byCommand.get(command.get(1)), "");
  }
}
