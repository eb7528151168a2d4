package dev.teec.cli.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.cli.CliSupport;
import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.ImageRecipe;
import dev.teec.emulator.StepFailedException;
import dev.teec.emulator.image.ImageBuilder;
import dev.teec.emulator.image.ImageResult;
import dev.teec.emulator.setup.Installation;
import dev.teec.enclave.worker.WorkerMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code teec emulator image LANGUAGE}. With {@code --json}, stdout carries one object:
 *
 * <pre>
 * {"language": string, "path": path of the EIF, "pcrs": {"0": hex, "1": hex, "2": hex},
 *  "reused": boolean (true: the EIF was already there), "seconds": number,
 *  "key": sha256 of the inputs (names the file), "inputs": {name: sha256}}
 * </pre>
 */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Build (or reuse) the emulated enclave image (EIF) of LANGUAGE (c, rust, go, maven) without",
      "Docker: the pinned root file system of enclave/images (made by mmdebstrap), the worker jar,",
      "the emulator's kernel and teec's init. Two builds of the same inputs give the same bytes."
    },
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:the image is there",
      "1:a step failed (the message names it and its log)",
      "2:usage error, or the emulator is not set up",
      CliSupport.EXIT_INTERNAL
    })
final class EmulatorImageCommand implements Callable<Integer> {
  private final Clock clock;
  private final Map<String, String> environment;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "LANGUAGE", description = "c, rust, go or maven.")
  String language;

  @Option(
      names = "--worker-jar",
      paramLabel = "JAR",
      description =
          "The worker's class path, one jar per option (default: the jar this command runs from).")
  List<Path> workerJars = new ArrayList<>();

  @Option(
      names = "--rebuild",
      description =
          "Write the image again even when it is there (the same inputs give the same bytes).")
  boolean rebuild;

  @Option(
      names = "--rebuild-rootfs",
      description = "Make the root file system again too (mmdebstrap), then the image.")
  boolean rebuildRootfs;

  @Option(names = "--json", description = "Print a JSON summary on stdout.")
  boolean json;

  @Option(names = CliSupport.STACKTRACE, hidden = true)
  boolean stacktrace;

  EmulatorImageCommand(Clock clock, Map<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!ImageBuilder.LANGUAGES.contains(language)) {
      throw new ParameterException(
          spec.commandLine(),
          "unknown language '"
              + language
              + "' (known: "
              + String.join(", ", ImageBuilder.LANGUAGES)
              + ")");
    }
    EmulatorHome home = EmulatorCommand.home(spec, environment);
    Installation installation = EmulatorCommand.installation(spec, home, environment, clock);
    List<Path> jars = workerJars.isEmpty() ? List.of(ownJar()) : workerJars;
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
        throw new ParameterException(
            spec.commandLine(), "--worker-jar " + jar + ": not a jar file");
      }
    }
    ImageResult r;
    try {
      r =
          new ImageBuilder(home, ImageRecipe.bundled(), installation, jars, environment, clock)
              .build(
                  language,
                  rebuild,
                  rebuildRootfs,
                  EmulatorCommand.progress(spec, "teec emulator image"));
    } catch (StepFailedException e) {
      return EmulatorCommand.failed(spec, "teec emulator image", e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode n = mapper.createObjectNode();
      n.put("language", r.language());
      n.put("path", r.path().toString());
      ObjectNode pcrs = n.putObject("pcrs");
      r.pcrs().forEach((i, v) -> pcrs.put(String.valueOf(i), v));
      n.put("reused", r.reused());
      n.put("seconds", r.took().toMillis() / 1000.0);
      n.put("key", r.key());
      n.set("inputs", mapper.valueToTree(r.inputs()));
      out.println(n);
    } else {
      out.println(
          (r.reused() ? "reused " : "built  ")
              + r.path()
              + String.format(Locale.ROOT, " (%.1f s)", r.took().toMillis() / 1000.0));
      r.pcrs().forEach((i, v) -> out.println("PCR" + i + "   " + v));
    }
    out.flush();
    return CliSupport.OK;
  }

  /** The jar holding the worker: the CLI's own, shaded with every dependency. */
  private Path ownJar() {
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
