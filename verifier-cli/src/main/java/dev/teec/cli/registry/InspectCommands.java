package dev.teec.cli.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.cli.CliFiles;
import dev.teec.cli.CliSupport;
import dev.teec.formats.buildspec.Language;
import dev.teec.truststore.image.ImageMatcher;
import dev.teec.truststore.registry.ExtraRoot;
import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistryCheck;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.truststore.registry.RegistryJson;
import dev.teec.truststore.registry.RegistryVerification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The commands that read a registry: {@code verify}, {@code list}, {@code show}.
 *
 * <p>{@code verify --json} prints one object:
 *
 * <pre>
 * {
 *   "file":     string
 *   "verified": boolean   true exactly when no check failed
 *   "failures": [string]  ids of the failed checks
 *   "checks":   [ { "id": string, "status": "PASS"|"FAIL"|"WARN"|"SKIP", "detail": string, "spec": string } ]
 *   "signers":  [string]  key ids whose signatures verified (empty unless verified)
 *   "registry": null if the payload could not be read, else
 *               { "version", "issuedAt", "expiresAt", "images": [image], "extraRoots": [{"id", "description", "sha256"}] }
 * }
 * </pre>
 *
 * {@code list --json} and {@code show --json} print {@code {"verified": boolean|null, "images":
 * [image]}} and one image; {@code verified} is null when no {@code --keys} were given. An image
 * object has the fields of the registry format (SPEC.md R1).
 */
final class InspectCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InspectCommands() {}

  abstract static class Inspect implements Callable<Integer> {
    final Clock clock;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The registry, signed or bare.")
    Path file;

    @Mixin KeyOptions keys;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = CliSupport.STACKTRACE, hidden = true)
    boolean stacktrace;

    Inspect(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The verification, or null without --keys (then {@code list}/{@code show} say so). */
    RegistryVerification verification(byte[] bytes) {
      return keys.keys == null ? null : keys.verify(spec.commandLine(), bytes, clock);
    }

    Registry registry(byte[] bytes, RegistryVerification v) {
      if (v != null) {
        if (!v.verified()) {
          return null;
        }
        return v.verifiedRegistry().orElseThrow().registry();
      }
      try {
        return RegistryFiles.payload(bytes);
      } catch (RegistryFormatException e) {
        throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage());
      }
    }

    /**
     * With --keys, a failed verification prints its failures and exits 1 before anything is listed.
     */
    boolean rejected(RegistryVerification v) {
      if (v == null || v.verified()) {
        return false;
      }
      printVerification(v);
      CliSupport.next(
          spec.commandLine().getErr(),
          "do not use this registry: check --keys, --threshold and --min-version, or get the"
              + " registry again from its maintainers");
      return true;
    }

    void printVerification(RegistryVerification v) {
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(verificationJson(file, v));
      } else {
        printChecks(out, file, v);
      }
      out.flush();
    }

    /**
     * Reads the registry, verifies it when --keys were given, and prints a rejected one's checks
     * (exit 1) before {@link #inspect} sees anything.
     */
    @Override
    public Integer call() {
      byte[] bytes = CliFiles.read(spec.commandLine(), "", file);
      RegistryVerification v = verification(bytes);
      return rejected(v) ? CliSupport.REJECTED : inspect(bytes, v);
    }

    /**
     * What the command does with a registry that was not rejected.
     *
     * @param v its verification, or null without --keys
     */
    abstract Integer inspect(byte[] bytes, RegistryVerification v);

    void printUnverifiedNote(PrintWriter out, RegistryVerification v) {
      if (v == null && !json) {
        out.println("(signatures not verified: pass --keys to verify)");
      }
    }
  }

  /** {@code teec registry verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Verify a signed registry: format, k-of-n signatures by pinned keys, validity, version.",
      exitCodeListHeading = CliSupport.EXIT_HEADING,
      exitCodeList = {
        "0:the registry verified",
        "1:the registry was rejected",
        CliSupport.EXIT_USAGE,
        CliSupport.EXIT_INTERNAL
      })
  static final class Verify extends Inspect {
    Verify(Clock clock) {
      super(clock);
    }

    @Override
    public Integer call() {
      if (keys.keys == null) {
        throw new ParameterException(
            spec.commandLine(),
            "--keys is required: verification needs the pinned maintainer keys");
      }
      return super.call();
    }

    /**
     * A rejected registry was printed by {@link #rejected}; a verified one is printed the same way.
     */
    @Override
    Integer inspect(byte[] bytes, RegistryVerification v) {
      printVerification(v);
      return CliSupport.OK;
    }
  }

  /** {@code teec registry list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "List a registry's images (verified first when --keys is given).")
  static final class List extends Inspect {
    List(Clock clock) {
      super(clock);
    }

    @Override
    Integer inspect(byte[] bytes, RegistryVerification v) {
      Registry r = registry(bytes, v);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode n = JSON.createObjectNode();
        if (v == null) {
          n.putNull("verified");
        } else {
          n.put("verified", true);
        }
        n.put("version", r.version());
        ArrayNode images = n.putArray("images");
        r.images().forEach(i -> images.add(RegistryJson.imageNode(i)));
        out.println(n);
      } else {
        out.println(
            "registry version "
                + r.version()
                + ", issued "
                + r.issuedAt()
                + ", expires "
                + r.expiresAt()
                + ", "
                + r.images().size()
                + " image(s)");
        printUnverifiedNote(out, v);
        for (ImageEntry i : r.images()) {
          out.println(
              String.format(
                  Locale.ROOT,
                  "  %-8s %-28s %-8s %s",
                  i.status().state(),
                  i.id(),
                  i.language(),
                  tools(i)));
        }
      }
      out.flush();
      return CliSupport.OK;
    }
  }

  /** {@code teec registry show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Show one image of a registry (verified first when --keys is given).")
  static final class Show extends Inspect {
    @Option(names = "--id", required = true, description = "The image id.")
    String id;

    Show(Clock clock) {
      super(clock);
    }

    @Override
    Integer inspect(byte[] bytes, RegistryVerification v) {
      ImageEntry i =
          registry(bytes, v)
              .image(id)
              .orElseThrow(
                  () ->
                      new ParameterException(
                          spec.commandLine(), "--id " + id + ": no such image in " + file));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(RegistryJson.imageNode(i));
      } else {
        printUnverifiedNote(out, v);
        out.println("id           " + i.id());
        out.println("language     " + i.language());
        out.println("toolchain    " + tools(i));
        out.println("description  " + i.description());
        out.println("recipe       " + i.recipe().uri() + " @ " + i.recipe().commit());
        i.pcrs().forEach((index, value) -> out.println("PCR" + index + "         " + value.hex()));
        out.println(
            "valid        from "
                + i.validFrom()
                + i.validUntil().map(u -> " until " + u).orElse(""));
        out.println(
            "status       "
                + i.status().state()
                + (i.status().revoked()
                    ? " at "
                        + i.status().revokedAt().orElseThrow()
                        + ": "
                        + i.status().reason().orElseThrow()
                    : ""));
      }
      out.flush();
      return CliSupport.OK;
    }
  }

  /** {@code teec registry find}: the image a build with this language and toolchain would use. */
  @Command(
      name = "find",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Find the image for a build: active, valid now, for the language, with every --tool at"
            + " exactly that version (spec/registry.md#R4). Requires --keys: a build must not pick an unverified image."
      },
      exitCodeListHeading = CliSupport.EXIT_HEADING,
      exitCodeList = {
        "0:an image was found",
        "1:the registry was rejected or no image fits",
        CliSupport.EXIT_USAGE,
        CliSupport.EXIT_INTERNAL
      })
  static final class Find extends Inspect {
    @Option(
        names = "--language",
        required = true,
        description = "build.json's language, e.g. rust.")
    String language;

    @Option(
        names = "--tool",
        paramLabel = "NAME=VERSION",
        description = "A required tool version. Repeatable.")
    java.util.Map<String, String> tools = new LinkedHashMap<>();

    @Option(
        names = "--toolchain",
        paramLabel = "VERSION",
        description =
            "build.json's toolchain: one of the image's tools has this version (or VERSION.x).")
    String toolchain;

    Find(Clock clock) {
      super(clock);
    }

    @Override
    public Integer call() {
      if (keys.keys == null) {
        throw new ParameterException(
            spec.commandLine(), "--keys is required: a build must not pick an unverified image");
      }
      return super.call();
    }

    @Override
    Integer inspect(byte[] bytes, RegistryVerification v) {
      ImageMatcher matcher = new ImageMatcher(v.verifiedRegistry().orElseThrow());
      // As a build looks it up: by the canonical name of build.json's language (java: maven).
      String canonical = Language.fromId(language).map(Language::id).orElse(language);
      Optional<ImageEntry> found =
          matcher.findFor(canonical, Optional.ofNullable(toolchain), tools, clock.instant());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(found.<Object>map(RegistryJson::imageNode).orElse(JSON.nullNode()));
      } else {
        out.println(
            found
                .map(i -> i.id() + "  (" + i.language() + " " + tools(i) + ")")
                .orElse(
                    "no active image for " + language + (tools.isEmpty() ? "" : " with " + tools)));
      }
      out.flush();
      if (found.isEmpty()) {
        CliSupport.next(
            spec.commandLine().getErr(),
            "'teec registry list' shows the images it has; ask its maintainers for one");
      }
      return found.isPresent() ? CliSupport.OK : CliSupport.REJECTED;
    }
  }

  static String tools(ImageEntry i) {
    StringBuilder sb = new StringBuilder();
    i.toolchain()
        .forEach((t, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(t).append(' ').append(v));
    return sb.toString();
  }

  static void printChecks(PrintWriter out, Path file, RegistryVerification v) {
    out.println(
        (v.verified() ? "VERIFIED  " : "REJECTED  ")
            + file
            + (v.verified()
                ? ""
                : "  ("
                    + v.failures().size()
                    + " check"
                    + (v.failures().size() == 1 ? "" : "s")
                    + " failed: "
                    + String.join(", ", v.failures().stream().map(RegistryCheck::id).toList())
                    + ")"));
    for (RegistryCheck c : v.checks()) {
      out.println(String.format(Locale.ROOT, "  %-4s  %-18s  %s", c.status(), c.id(), c.detail()));
    }
  }

  static ObjectNode verificationJson(Path file, RegistryVerification v) {
    ObjectNode n = JSON.createObjectNode();
    n.put("file", file.toString());
    n.put("verified", v.verified());
    ArrayNode failures = n.putArray("failures");
    v.failures().forEach(c -> failures.add(c.id()));
    n.set("checks", checksJson(v.checks()));
    ArrayNode signers = n.putArray("signers");
    v.verifiedRegistry().ifPresent(r -> r.signers().forEach(signers::add));
    if (v.parsed().isEmpty()) {
      n.putNull("registry");
    } else {
      Registry r = v.parsed().get();
      ObjectNode reg = n.putObject("registry");
      reg.put("version", r.version());
      reg.put("issuedAt", r.issuedAt().toString());
      reg.put("expiresAt", r.expiresAt().toString());
      ArrayNode images = reg.putArray("images");
      r.images().forEach(i -> images.add(RegistryJson.imageNode(i)));
      ArrayNode roots = reg.putArray("extraRoots");
      for (ExtraRoot root : r.extraRoots()) {
        roots
            .addObject()
            .put("id", root.id())
            .put("description", root.description())
            .put("sha256", root.sha256());
      }
    }
    return n;
  }

  static ArrayNode checksJson(java.util.List<RegistryCheck> checks) {
    ArrayNode a = JSON.createArrayNode();
    for (RegistryCheck c : checks) {
      a.addObject()
          .put("id", c.id())
          .put("status", c.status().name())
          .put("detail", c.detail())
          .put("spec", c.specReference());
    }
    return a;
  }
}
