package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --mode emulated}'s options, checked before any emulator is needed (SPEC E5). */
class EmulatedBuildOptionsTest {
  private static final String C_BUILD_JSON =
      "{\"language\":\"c\",\"input\":{\"cmd\":\"gcc -o hello hello.c\"},"
          + "\"output\":{\"files\":[\"hello\"]}}";

  @TempDir Path tmp;

  private CliRun teec(String... args) {
    Map<String, String> env =
        Map.of("TEEC_HOME", tmp.resolve("home").toString(), "PATH", "/usr/bin:/bin");
    return CliRun.run(clock -> Teec.newCommandLine(clock, env), Clock.systemUTC(), args);
  }

  private Path project() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("project"));
    Files.writeString(dir.resolve("build.json"), C_BUILD_JSON);
    Files.writeString(dir.resolve("hello.c"), "int main(void) { return 0; }\n");
    return dir;
  }

  /** {@code teec build PROJECT --out b.tar} with {@code options}. */
  private CliRun build(String... options) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("build", project().toString(), "--out", tmp.resolve("b.tar").toString()));
    args.addAll(List.of(options));
    return teec(args.toArray(String[]::new));
  }

  @Test
  void build_emulatedWithNitroCli_usageErrorNamingTheStandIn() throws Exception {
    Path eif = Files.write(tmp.resolve("image.eif"), new byte[] {1});
    CliRun run =
        build("--mode", "emulated", "--eif", eif.toString(), "--nitro-cli", "/usr/bin/true");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliSupport.USAGE);
    assertThat(run.err())
        .contains(
            "--nitro-cli does not apply to --mode emulated: its nitro-cli is the stand-in 'teec"
                + " emulator nitro-cli'");
    assertThat(tmp.resolve("b.tar")).doesNotExist();
  }

  @Test
  void reproduce_emulatedWithNitroCli_usageError() throws Exception {
    Path bundle = Files.write(tmp.resolve("b.tar"), new byte[] {1});
    CliRun run =
        teec(
            "challenge",
            "reproduce",
            bundle.toString(),
            "--source",
            project().toString(),
            "--mode",
            "emulated",
            "--nitro-cli",
            "/usr/bin/true");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliSupport.USAGE);
    assertThat(run.err()).contains("--nitro-cli does not apply to --mode emulated");
  }

  @Test
  void build_emulatedWithoutEif_needsOnlyTheSetup_notAnImageOption() throws Exception {
    CliRun run = build("--mode", "emulated");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliSupport.USAGE);
    assertThat(run.err())
        .doesNotContain("needs the enclave image")
        .contains("the emulator is not set up", "run 'teec emulator setup' first");
    assertThat(tmp.resolve("b.tar")).doesNotExist();
  }

  @Test
  void build_nitroWithoutEif_stillNeedsTheImage() throws Exception {
    CliRun run = build("--mode", "nitro");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliSupport.USAGE);
    assertThat(run.err()).contains("nitro mode needs the enclave image");
  }
}
