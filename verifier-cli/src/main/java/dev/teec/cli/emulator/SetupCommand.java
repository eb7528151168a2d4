package dev.teec.cli.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.cli.CliSupport;
import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.ImageRecipe;
import dev.teec.emulator.StepFailedException;
import dev.teec.emulator.setup.EmulatorSetup;
import dev.teec.emulator.setup.Installation;
import dev.teec.emulator.setup.SetupResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code teec emulator setup}. With {@code --json}, stdout carries one object:
 *
 * <pre>
 * {"changed": boolean (false: already set up, nothing done), "seconds": number,
 *  "home": path, "setup": path, "log": path | null,
 *  "qemu": path, "firmware": [path], "vhostDeviceVsock": path, "kernel": path, "modules": path,
 *  "moduleFiles": [name], "busybox": path,
 *  "versions": {name: version}, "digests": {"qemu"|"vhostDeviceVsock"|"kernel"|"busybox": sha256},
 *  "recipe": sha256 (the recipe digest the setup was made from)}
 * </pre>
 */
@Command(
    name = "setup",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prepare the emulator once under $TEEC_HOME/emulator: QEMU with the nitro-enclave machine",
      "(built from Debian trixie's source package), vhost-device-vsock (Debian sid's package), the guest",
      "kernel and busybox (Debian trixie's packages), all pinned by digest. Needs mmdebstrap, curl,",
      "dpkg-deb and root (or unprivileged user namespaces). A second run does nothing."
    },
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      "0:set up (or already set up)",
      "1:a step failed (the message names it and its log)",
      CliSupport.EXIT_USAGE,
      CliSupport.EXIT_INTERNAL
    })
final class SetupCommand implements Callable<Integer> {
  private final Clock clock;
  private final Map<String, String> environment;

  @Spec CommandSpec spec;

  @Option(names = "--force", description = "Set up again even when the current setup is good.")
  boolean force;

  @Option(names = "--json", description = "Print a JSON summary on stdout.")
  boolean json;

  @Option(names = CliSupport.STACKTRACE, hidden = true)
  boolean stacktrace;

  SetupCommand(Clock clock, Map<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    EmulatorHome home = EmulatorCommand.home(spec, environment);
    EmulatorSetup setup = new EmulatorSetup(home, ImageRecipe.bundled(), environment, clock);
    SetupResult r;
    try {
      r = setup.run(force, EmulatorCommand.progress(spec, "teec emulator setup"));
    } catch (StepFailedException e) {
      return EmulatorCommand.failed(spec, "teec emulator setup", e);
    }
    PrintWriter out = spec.commandLine().getOut();
    Installation i = r.installation();
    if (json) {
      out.println(summary(home, r));
    } else {
      out.println(
          (r.changed() ? "set up in " : "already set up in ")
              + i.dir()
              + String.format(Locale.ROOT, " (%.1f s)", r.took().toMillis() / 1000.0));
      out.println(
          "qemu     " + i.qemu() + " (" + i.versions().getOrDefault("QEMU_VERSION", "?") + ")");
      out.println(
          "vsock    "
              + i.vhostDeviceVsock()
              + " ("
              + i.versions().getOrDefault("VSOCK_VERSION", "?")
              + ")");
      out.println("kernel   " + i.kernel());
      out.println("modules  " + i.modules());
    }
    out.flush();
    return CliSupport.OK;
  }

  private static ObjectNode summary(EmulatorHome home, SetupResult r) {
    Installation i = r.installation();
    ObjectMapper json = new ObjectMapper();
    ObjectNode n = json.createObjectNode();
    n.put("changed", r.changed());
    n.put("seconds", r.took().toMillis() / 1000.0);
    n.put("home", home.root().toString());
    n.put("setup", i.dir().toString());
    n.put("log", r.log().map(Path::toString).orElse(null));
    n.put("qemu", i.qemu().toString());
    ArrayNode firmware = n.putArray("firmware");
    i.firmware().forEach(f -> firmware.add(f.toString()));
    n.put("vhostDeviceVsock", i.vhostDeviceVsock().toString());
    n.put("kernel", i.kernel().toString());
    n.put("modules", i.modules().toString());
    ArrayNode modules = n.putArray("moduleFiles");
    Installation.MODULES.forEach(modules::add);
    n.put("busybox", i.busybox().toString());
    n.set("versions", json.valueToTree(new java.util.TreeMap<>(i.versions())));
    ObjectNode digests = n.putObject("digests");
    digests.put("qemu", i.digest(i.dir().resolve("qemu/bin/qemu-system-x86_64")));
    digests.put("vhostDeviceVsock", i.digest(i.vhostDeviceVsock()));
    digests.put("kernel", i.digest(i.kernel()));
    digests.put("busybox", i.digest(i.busybox()));
    n.put("recipe", i.key());
    return n;
  }
}
