package dev.teec.cli.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.cli.CliSupport;
import dev.teec.emulator.StepFailedException;
import dev.teec.emulator.image.ExtraCaCerts;
import dev.teec.emulator.image.ImageBuilder;
import dev.teec.emulator.image.ImageResult;
import java.io.IOException;
import java.io.PrintWriter;
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
 *  "key": sha256 of the inputs (names the file), "inputs": {name: sha256},
 *  "extraCaCerts": [{"sha256": hex, "subject": RFC 2253}, ...] (empty: Debian's bundle only)}
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
      names = "--extra-ca-certs",
      paramLabel = "FILE",
      description =
          "Also trust the CA certificates of this PEM file for the worker's upstream TLS (e.g. a"
              + " TLS-intercepting egress's CA), appended to the image's Debian CA bundle."
              + " Widens trust: the image gets other PCRs than the plain one, and the output lists"
              + " the certificates. Repeatable.")
  List<Path> extraCaCertFiles = new ArrayList<>();

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
    for (Path jar : workerJars) {
      if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
        throw new ParameterException(
            spec.commandLine(), "--worker-jar " + jar + ": not a jar file");
      }
    }
    ExtraCaCerts extraCaCerts;
    try {
      extraCaCerts =
          extraCaCertFiles.isEmpty() ? ExtraCaCerts.NONE : ExtraCaCerts.read(extraCaCertFiles);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--extra-ca-certs " + e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    for (ExtraCaCerts.Certificate c : extraCaCerts.certificates()) {
      err.println(
          "teec emulator image: WARNING: the image also trusts for upstream TLS: "
              + c.subject()
              + " (SHA-256 "
              + c.sha256()
              + ")");
    }
    err.flush();
    ImageResult r;
    try {
      r =
          EmulatedImages.image(
              spec,
              environment,
              clock,
              language,
              workerJars,
              rebuild,
              rebuildRootfs,
              extraCaCerts,
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
      n.set("extraCaCerts", r.extraCaCerts().toJson());
      out.println(n);
    } else {
      out.println(
          (r.reused() ? "reused " : "built  ")
              + r.path()
              + String.format(Locale.ROOT, " (%.1f s)", r.took().toMillis() / 1000.0));
      r.pcrs().forEach((i, v) -> out.println("PCR" + i + "   " + v));
      if (!r.extraCaCerts().isEmpty()) {
        out.println(
            "trusts "
                + r.extraCaCerts().certificates().size()
                + " extra CA certificate(s) for upstream TLS (--extra-ca-certs): other PCRs than"
                + " the plain image");
      }
    }
    out.flush();
    return CliSupport.OK;
  }
}
