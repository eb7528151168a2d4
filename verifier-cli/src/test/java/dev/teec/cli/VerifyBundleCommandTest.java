package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.enclave.runner.SourceArchive;
import dev.teec.enclave.worker.BuildJob;
import dev.teec.enclave.worker.SourceMetadata;
import dev.teec.enclave.worker.Worker;
import dev.teec.enclave.worker.WorkerConfig;
import dev.teec.enclave.worker.WorkerResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** teec-verify bundle on a bundle the local worker built (gcc, simulated NSM). */
class VerifyBundleCommandTest {
  @TempDir static Path tmp;
  private static Path bundle;
  private static Map<String, String> env;

  @BeforeAll
  static void buildBundle() throws Exception {
    Path home = tmp.resolve("teec-home");
    env = Map.of("TEEC_HOME", home.toString());
    SimulatedNsm nsm = SimulatedNsm.open(home, Clock.systemUTC(), WorkerIdentity.of("t", "r", "c"));
    Worker worker = new Worker(WorkerConfig.local(nsm,
        RunnerConfig.defaults().withBuildRoot(tmp.resolve("build")), "test", Clock.systemUTC()));
    String buildJson = "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -o hello hello.c\"},"
        + "\"output\":{\"files\":[\"hello\"]}}";
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("build.json"), buildJson);
    Files.writeString(src.resolve("hello.c"), "int main(void) { return 0; }\n");
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    SourceArchive.write(src, SourceArchive.listFiles(src), archive);
    bundle = tmp.resolve("bundle.tar");
    WorkerResult r = worker.build(new BuildJob(buildJson.getBytes(StandardCharsets.UTF_8), new byte[16],
        SourceMetadata.unknown()), new ByteArrayInputStream(archive.toByteArray()), bundle, line -> { });
    assertThat(r.succeeded()).isTrue();
  }

  private static CliRun verify(String... args) {
    return CliRun.run(clock -> TeecVerify.newCommandLine(clock, env), Clock.systemUTC(), args);
  }

  private static JsonNode json(CliRun run) throws Exception {
    return new ObjectMapper().readTree(run.out());
  }

  @Test
  void bundle_simulated_verifiesWithASimulatedWarning() throws Exception {
    CliRun run = verify("bundle", "--simulated", "--json", bundle.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode r = json(run);
    assertThat(r.get("verified").asBoolean()).isTrue();
    assertThat(r.get("simulated").asBoolean()).isTrue();
    assertThat(r.get("subjects").has("hello")).isTrue();
    assertThat(r.get("attestation").get("verified").asBoolean()).isTrue();
    assertThat(r.get("checks").toString()).contains("bundle.binding").contains("bundle.dsse");
    CliRun human = verify("bundle", "--simulated", bundle.toString());
    System.out.println(human.out());
  }

  @Test
  void bundle_withoutSimulated_isRejectedOnTheRoot() throws Exception {
    CliRun run = verify("bundle", "--json", bundle.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode r = json(run);
    assertThat(r.get("failures").toString()).contains("bundle.attestation");
    assertThat(r.get("attestation").get("failures").toString()).contains("chain.root_pinned");
  }

  @Test
  void bundle_tamperedArtifact_failsItsArtifactCheck() throws Exception {
    byte[] tar = Files.readAllBytes(bundle);
    int elf = indexOf(tar, new byte[] {0x7f, 'E', 'L', 'F'});
    assertThat(elf).isPositive();
    tar[elf + 200] ^= 1;
    Path tampered = tmp.resolve("tampered.tar");
    Files.write(tampered, tar);
    CliRun run = verify("bundle", "--simulated", "--json", tampered.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode r = json(run);
    assertThat(r.get("failures").toString()).isEqualTo("[\"bundle.artifact:hello\"]");
    assertThat(r.get("artifacts").get(0).get("status").asText()).isEqualTo("mismatch");
  }

  @Test
  void bundle_userArtifact_isComparedWithTheReport() throws Exception {
    Path other = tmp.resolve("other");
    Files.writeString(other, "not the program");
    CliRun run = verify("bundle", "--simulated", "--artifact", "hello=" + other, bundle.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("REJECTED").contains("bundle.file:hello");
  }

  @Test
  void bundle_expectUserData_isAUsageError() {
    CliRun run = verify("bundle", "--simulated", "--expect-user-data", "00", bundle.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--expect-user-data does not apply to bundles");
  }

  @Test
  void bundle_notATar_isRejectedOnStructure() throws Exception {
    Path junk = tmp.resolve("junk.tar");
    Files.writeString(junk, "junk");
    CliRun run = verify("bundle", "--simulated", junk.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("bundle.structure");
  }

  private static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
