package dev.teec.cli.emulator;

import dev.teec.builder.launch.ImageResolver;
import dev.teec.builder.launch.LaunchException;
import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.ImageRecipe;
import dev.teec.emulator.StepFailedException;
import dev.teec.emulator.image.ExtraCaCerts;
import dev.teec.emulator.image.ImageBuilder;
import dev.teec.emulator.image.ImageResult;
import dev.teec.emulator.setup.Installation;
import dev.teec.enclave.worker.WorkerMain;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * teec's emulated enclave images as the CLI makes them (SPEC E2): one way for {@code teec emulator
 * image} and for {@code teec build --mode emulated} without {@code --eif}, so both start the same
 * image for the same inputs.
 */
final class EmulatedImages {
  private EmulatedImages() {}

  /**
   * Builds or reuses the image of {@code language}.
   *
   * @param jars the worker's class path (empty: the jar this command runs from)
   * @throws ParameterException if the emulator is not set up, or the worker is not in a jar
   * @throws StepFailedException naming the step that failed (and its log)
   */
  static ImageResult image(
      CommandSpec spec,
      Map<String, String> environment,
      Clock clock,
      String language,
      List<Path> jars,
      boolean rebuild,
      boolean rebuildRootfs,
      ExtraCaCerts extraCaCerts,
      Consumer<String> progress)
      throws IOException, InterruptedException, StepFailedException {
    EmulatorHome home = EmulatorCommand.home(spec, environment);
    Installation installation = EmulatorCommand.installation(spec, home, environment, clock);
    List<Path> workerJars = jars.isEmpty() ? List.of(ownJar(spec)) : jars;
    return new ImageBuilder(
            home, ImageRecipe.bundled(), installation, workerJars, environment, clock)
        .withExtraCaCerts(extraCaCerts)
        .build(language, rebuild, rebuildRootfs, progress);
  }

  /**
   * The image of a build's language when none is named: the plain image {@code teec emulator image
   * LANGUAGE} makes (no extra CA certificates), built unless already there. Its description says
   * which, and where.
   */
  static ImageResolver forBuilds(
      CommandSpec spec, Map<String, String> environment, Clock clock, Consumer<String> progress) {
    return buildSpec -> {
      String language = buildSpec.language().id();
      ImageResult r;
      try {
        r =
            image(
                spec,
                environment,
                clock,
                language,
                List.of(),
                false,
                false,
                ExtraCaCerts.NONE,
                progress);
      } catch (StepFailedException e) {
        throw new LaunchException("teec emulator image " + language + ": " + e.getMessage());
      } catch (IOException e) {
        throw new LaunchException("teec emulator image " + language + " failed: " + e.getMessage());
      }
      return new dev.teec.builder.launch.ImageChoice(
          r.path(),
          r.pcrs(),
          "the emulator's image for "
              + language
              + " ("
              + (r.reused() ? "reused" : "built")
              + " as 'teec emulator image "
              + language
              + "' does; no --eif given): "
              + r.path());
    };
  }

  /** The jar holding the worker: the CLI's own, shaded with every dependency. */
  private static Path ownJar(CommandSpec spec) {
    try {
      Path p =
          Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(p)) {
        return p;
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // Fall through to the usage error.
    }
    throw new ParameterException(
        spec.commandLine(),
        "the worker's classes are not in a jar here; name the worker's"
            + " jars with --worker-jar");
  }
}
