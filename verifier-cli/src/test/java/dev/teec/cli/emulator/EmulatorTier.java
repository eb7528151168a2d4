package dev.teec.cli.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.ImageRecipe;
import dev.teec.emulator.image.ImageBuilder;
import dev.teec.emulator.image.ImageResult;
import dev.teec.emulator.setup.EmulatorSetup;
import dev.teec.emulator.setup.Installation;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * What the emulator tier's tests share: the emulator of {@code TEEC_HOME} (its setup must be
 * current: {@code bin/teec emulator setup}) and teec's images built with the CLI jar under test as
 * the worker.
 */
final class EmulatorTier {
  private EmulatorTier() {}

  static EmulatorHome home() {
    return EmulatorHome.resolve(System.getenv(), System.getProperty("user.home"));
  }

  static Installation installation() throws Exception {
    EmulatorHome home = home();
    return new EmulatorSetup(home, ImageRecipe.bundled(), System.getenv(), Clock.systemUTC())
        .current()
        .orElseThrow(
            () ->
                new AssertionError(
                    "the emulator is not set up in "
                        + home.root()
                        + ": run 'bin/teec emulator setup' first (TEEC_HOME selects where)"));
  }

  /** The CLI jar the build made ({@code teec.cli.jar}): the tests run it, and it is the worker. */
  static Path cliJar() {
    Path jar = Path.of(System.getProperty("teec.cli.jar", "target/teec-cli.jar")).toAbsolutePath();
    assertThat(jar).isRegularFile();
    return jar;
  }

  /** {@code teec emulator image LANGUAGE} with this CLI jar as the worker; built or reused. */
  static ImageResult image(String language) throws Exception {
    ImageResult image =
        new ImageBuilder(
                home(),
                ImageRecipe.bundled(),
                installation(),
                List.of(cliJar()),
                System.getenv(),
                Clock.systemUTC())
            .build(language, false, false, step -> System.err.println("image: " + step));
    System.err.printf(
        "figure: teec emulator image %s: %s%n",
        language, image.reused() ? "reused" : "built in " + image.took());
    return image;
  }
}
