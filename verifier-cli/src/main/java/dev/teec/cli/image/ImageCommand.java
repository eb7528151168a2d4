package dev.teec.cli.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.cli.CliSupport;
import dev.teec.truststore.eif.EifFormatException;
import dev.teec.truststore.eif.EifMeasurement;
import dev.teec.truststore.eif.EifReader;
import dev.teec.truststore.eif.EifSection;
import dev.teec.truststore.eif.EifWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code teec image}: the parent of {@code measure} and {@code build}.
 *
 * <p>{@code measure --json} (and {@code build --json}) print one object:
 *
 * <pre>
 * {
 *   "file":          string
 *   "valid":         boolean  false when the file is not a well-formed EIF (exit 1)
 *   "error":         string   why, when not valid
 *   "version":       number   the EIF format version
 *   "arch":          "x86_64"|"aarch64"
 *   "defaultMemory": number   bytes, from the header
 *   "defaultCpus":   number
 *   "crc32":         string   8 hex digits
 *   "sections":      [ { "type": "kernel"|"cmdline"|"ramdisk"|"signature"|"metadata", "offset": number, "size": number } ]
 *   "pcrs":          { "0": hex, "1": hex, "2": hex, "8": hex (signed files only) }
 *   "signature":     null for unsigned files, else { "signer": string (RFC 2253), "valid": boolean,
 *                    "detail": string }: whether the COSE_Sign1 over PCR0 verifies
 * }
 * </pre>
 */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    description = "Measure Enclave Image Files (EIF) offline, and write minimal ones.",
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:measured (or written)",
      "1:the file is not a well-formed EIF",
      CliSupport.EXIT_USAGE,
      CliSupport.EXIT_INTERNAL
    })
public final class ImageCommand implements Runnable {
  @Spec private CommandSpec spec;

  private ImageCommand() {}

  /** The {@code image} command with its subcommands; the caller installs error handling. */
  public static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new ImageCommand());
    cmd.addSubcommand(new Measure());
    cmd.addSubcommand(new Build());
    return cmd;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: measure or build");
  }

  /** {@code teec image measure}. */
  @Command(
      name = "measure",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Validate an EIF and compute PCR0, PCR1, PCR2 (and PCR8 when signed) as nitro-cli does."
      })
  static final class Measure implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE.eif", description = "The enclave image file.")
    Path file;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = CliSupport.STACKTRACE, hidden = true)
    boolean stacktrace;

    @Override
    public Integer call() {
      return report(spec, file, json);
    }
  }

  /** {@code teec image build}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Write a minimal EIF (version 4) from a kernel, a command line and ramdisks, then measure it."
      })
  static final class Build implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--kernel",
        required = true,
        paramLabel = "FILE",
        description = "The kernel image.")
    Path kernel;

    @Option(
        names = "--cmdline",
        required = true,
        paramLabel = "TEXT",
        description = "The kernel command line.")
    String cmdline;

    @Option(
        names = "--ramdisk",
        required = true,
        paramLabel = "FILE",
        description =
            "A ramdisk; the first is the boot ramfs (PCR1), the rest the application (PCR2). Repeatable.")
    List<Path> ramdisks = new ArrayList<>();

    @Option(
        names = "--metadata",
        paramLabel = "FILE",
        description = "Content of the (unmeasured) metadata section.")
    Path metadata;

    @Option(names = "--arm64", description = "Mark the image as aarch64.")
    boolean arm64;

    @Option(
        names = "--signing-certificate",
        paramLabel = "PEM",
        description =
            "Sign the image (PCR8) with this certificate's P-384 key. Needs --private-key.")
    Path signingCertificate;

    @Option(
        names = "--private-key",
        paramLabel = "PEM",
        description = "The signing certificate's private key (PEM).")
    Path privateKey;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE.eif",
        description = "Where to write the image.")
    Path out;

    @Option(names = "--json", description = "Print the measurement as JSON.")
    boolean json;

    @Option(names = CliSupport.STACKTRACE, hidden = true)
    boolean stacktrace;

    @Override
    public Integer call() throws IOException {
      EifWriter.Builder b = EifWriter.builder().kernel(readable(kernel)).arm64(arm64);
      try {
        b.cmdline(cmdline);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--cmdline: " + e.getMessage());
      }
      for (Path r : ramdisks) {
        b.addRamdisk(readable(r));
      }
      if (metadata != null) {
        try {
          b.metadata(Files.readAllBytes(metadata));
        } catch (IOException e) {
          throw new ParameterException(
              spec.commandLine(), "--metadata " + metadata + ": " + CliSupport.describe(e));
        }
      }
      if ((signingCertificate == null) != (privateKey == null)) {
        throw new ParameterException(
            spec.commandLine(), "--signing-certificate and --private-key go together");
      }
      if (signingCertificate != null) {
        b.sign(
            SigningInputs.certificate(spec, signingCertificate),
            SigningInputs.privateKey(spec, privateKey));
      }
      if (ramdisks.size() + (metadata != null ? 3 : 2) > 32) {
        throw new ParameterException(spec.commandLine(), "an EIF holds at most 32 sections");
      }
      try {
        b.build().write(out);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      return report(spec, out, json);
    }

    private Path readable(Path p) {
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new ParameterException(spec.commandLine(), p + ": not a readable file");
      }
      return p;
    }
  }

  static int report(CommandSpec spec, Path file, boolean json) {
    PrintWriter out = spec.commandLine().getOut();
    EifMeasurement m;
    try {
      m = EifReader.measure(file);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), file + ": " + CliSupport.describe(e));
    } catch (EifFormatException e) {
      if (json) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("file", file.toString());
        n.put("valid", false);
        n.put("error", e.getMessage());
        out.println(n);
      } else {
        out.println("INVALID  " + file + ": " + e.getMessage());
      }
      out.flush();
      CliSupport.next(
          spec.commandLine().getErr(),
          "give an Enclave Image File as 'nitro-cli build-enclave' or 'teec image build' writes it");
      return CliSupport.REJECTED;
    }
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("file", file.toString());
      n.put("valid", true);
      n.put("version", m.version());
      n.put("arch", m.arm64() ? "aarch64" : "x86_64");
      n.put("defaultMemory", m.defaultMemory());
      n.put("defaultCpus", m.defaultCpus());
      n.put("crc32", String.format(Locale.ROOT, "%08x", m.crc32()));
      ArrayNode sections = n.putArray("sections");
      for (EifSection s : m.sections()) {
        sections
            .addObject()
            .put("type", s.type().name().toLowerCase(Locale.ROOT))
            .put("offset", s.offset())
            .put("size", s.size());
      }
      ObjectNode pcrs = n.putObject("pcrs");
      m.pcrs().forEach((i, v) -> pcrs.put(String.valueOf(i), v.hex()));
      if (m.signature().isPresent()) {
        n.putObject("signature")
            .put("signer", m.signature().get().signer())
            .put("valid", m.signature().get().valid())
            .put("detail", m.signature().get().detail());
      } else {
        n.putNull("signature");
      }
      out.println(n);
    } else {
      out.println(
          "EIF      "
              + file
              + " (version "
              + m.version()
              + ", "
              + (m.arm64() ? "aarch64" : "x86_64")
              + ", "
              + m.sections().size()
              + " sections, CRC-32 "
              + String.format(Locale.ROOT, "%08x", m.crc32())
              + " ok)");
      m.pcrs().forEach((i, v) -> out.println("PCR" + i + "     " + v.hex()));
      m.signature()
          .ifPresent(
              sig ->
                  out.println(
                      "signed   by "
                          + sig.signer()
                          + ": "
                          + (sig.valid() ? "valid, " : "INVALID, ")
                          + sig.detail()));
    }
    out.flush();
    return CliSupport.OK;
  }
}
