package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path tmp;

  @Test
  void demo_buildsAndVerifiesTheSample() {
    Path bundle = tmp.resolve("out/demo.tar");
    CliRun run =
        CliRun.run(
            clock ->
                Teec.newCommandLine(clock, Map.of("TEEC_HOME", tmp.resolve("home").toString())),
            Clock.systemUTC(),
            "demo",
            "--out",
            bundle.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("SIMULATED NSM")
        .contains("VERIFIED  " + bundle)
        .contains("bundle.dsse")
        .contains("--simulated --any-image")
        .contains("ANY IMAGE: the enclave image is not identified")
        .contains("teec demo: done.");
    assertThat(run.err())
        .endsWith(
            "Next: build your own project: add a build.json (README, Quick start) and run 'teec"
                + " build . --mode local'"
                + System.lineSeparator());
    assertThat(bundle).isRegularFile();
  }
}
