package dev.teec.builder.launch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The parts of AWS {@code nitro-cli} a build needs: {@code run-enclave}, {@code describe-enclaves},
 * {@code terminate-enclave} and {@code describe-eif}, parsing the JSON they print (nitro-cli may
 * print progress lines before the JSON, which are skipped).
 */
public final class NitroCli {
  private static final Pattern PCR_HEX = Pattern.compile("[0-9a-f]{96}");
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration QUICK_TIMEOUT = Duration.ofMinutes(1);

  private final String executable;
  private final CommandRunner runner;

  /** nitro-cli prints a few kilobytes; anything near this bound is not nitro-cli's output. */
  private final BoundedJson json = BoundedJson.json(JsonLimits.of(1 << 20));

  /**
   * @param executable the nitro-cli binary, normally {@code "nitro-cli"} from PATH
   * @param runner how to run it
   */
  public NitroCli(String executable, CommandRunner runner) {
    this.executable = Objects.requireNonNull(executable, "executable");
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  /**
   * The command this runs, as a person would type it (for hints such as how to stop an enclave).
   */
  public String executable() {
    return executable;
  }

  /**
   * A running enclave, from {@code run-enclave} or {@code describe-enclaves}.
   *
   * @param id the enclave id, e.g. {@code i-0abc...-enc9876...}
   * @param cid its vsock context id
   * @param cpus vCPUs given to it
   * @param memoryMib memory given to it
   * @param flags {@code NONE} or {@code DEBUG_MODE} (describe-enclaves only; empty from
   *     run-enclave)
   */
  public record Enclave(String id, long cid, int cpus, long memoryMib, String flags) {
    /** Whether nitro-cli reports the enclave in debug mode. */
    public boolean debugMode() {
      return flags.toUpperCase(Locale.ROOT).contains("DEBUG");
    }
  }

  /**
   * Starts an enclave: {@code run-enclave --eif-path EIF --cpu-count N --memory MIB [--enclave-cid
   * CID] [--debug-mode]}.
   *
   * @throws LaunchException with nitro-cli's error when it fails or prints no enclave
   */
  public Enclave runEnclave(Path eif, int cpuCount, long memoryMib, OptionalLong cid, boolean debug)
      throws LaunchException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run-enclave",
                "--eif-path",
                eif.toString(),
                "--cpu-count",
                Integer.toString(cpuCount),
                "--memory",
                Long.toString(memoryMib)));
    cid.ifPresent(c -> args.addAll(List.of("--enclave-cid", Long.toString(c))));
    if (debug) {
      args.add("--debug-mode");
    }
    JsonNode out = call(args, RUN_TIMEOUT);
    return enclave(out, "run-enclave");
  }

  /** {@code describe-enclaves}: every enclave nitro-cli knows on this instance. */
  public List<Enclave> describeEnclaves() throws LaunchException, InterruptedException {
    JsonNode out = call(List.of("describe-enclaves"), QUICK_TIMEOUT);
    if (!out.isArray()) {
      throw new LaunchException(
          "nitro-cli describe-enclaves: expected a JSON array, got " + abbreviate(out.toString()));
    }
    List<Enclave> enclaves = new ArrayList<>();
    for (JsonNode n : out) {
      enclaves.add(enclave(n, "describe-enclaves"));
    }
    return enclaves;
  }

  /**
   * {@code terminate-enclave --enclave-id ID}.
   *
   * @throws LaunchException if nitro-cli fails or does not confirm the termination
   */
  public void terminateEnclave(String id) throws LaunchException, InterruptedException {
    JsonNode out = call(List.of("terminate-enclave", "--enclave-id", id), QUICK_TIMEOUT);
    if (!out.path("Terminated").asBoolean(false)) {
      throw new LaunchException(
          "nitro-cli terminate-enclave did not confirm that "
              + id
              + " terminated: "
              + abbreviate(out.toString()));
    }
  }

  /**
   * {@code describe-eif --eif-path EIF}: the image's measurements PCR0, PCR1 and PCR2 (SHA-384,
   * lower-case hex), which a non-debug enclave started from it attests.
   */
  public Map<Integer, String> describeEif(Path eif) throws LaunchException, InterruptedException {
    JsonNode out = call(List.of("describe-eif", "--eif-path", eif.toString()), QUICK_TIMEOUT);
    JsonNode m = out.path("Measurements");
    Map<Integer, String> pcrs = new TreeMap<>();
    for (int i = 0; i <= 2; i++) {
      String v = m.path("PCR" + i).asText("").toLowerCase(Locale.ROOT);
      if (!PCR_HEX.matcher(v).matches()) {
        throw new LaunchException(
            "nitro-cli describe-eif "
                + eif
                + ": Measurements.PCR"
                + i
                + " is not 96 hex digits: \""
                + abbreviate(v)
                + "\"");
      }
      pcrs.put(i, v);
    }
    return pcrs;
  }

  private Enclave enclave(JsonNode n, String command) throws LaunchException {
    String id = n.path("EnclaveID").asText("");
    JsonNode cid = n.path("EnclaveCID");
    if (id.isEmpty() || !cid.canConvertToLong() || cid.asLong() < 0) {
      throw new LaunchException(
          "nitro-cli " + command + ": no EnclaveID and EnclaveCID in " + abbreviate(n.toString()));
    }
    return new Enclave(
        id,
        cid.asLong(),
        n.path("NumberOfCPUs").asInt(0),
        n.path("MemoryMiB").asLong(0),
        n.path("Flags").asText(""));
  }

  private JsonNode call(List<String> args, Duration timeout)
      throws LaunchException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(args);
    CommandRunner.CommandResult r;
    try {
      r = runner.run(command, timeout);
    } catch (IOException e) {
      throw new LaunchException(
          "cannot run " + executable + " " + args.get(0) + ": " + e.getMessage(), e);
    }
    if (r.exitCode() != 0) {
      throw new LaunchException(
          "nitro-cli "
              + args.get(0)
              + " failed (exit "
              + r.exitCode()
              + "): "
              + abbreviate((r.stderr() + " " + r.stdout()).strip()));
    }
    String out = r.stdout();
    int start = firstJson(out);
    if (start < 0) {
      throw new LaunchException(
          "nitro-cli " + args.get(0) + " printed no JSON: " + abbreviate(out.strip()));
    }
    try {
      return json.read(out.substring(start).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new LaunchException(
          "nitro-cli " + args.get(0) + " printed unreadable JSON: " + e.getMessage(), e);
    }
  }

  /** Where the JSON document starts: the first line that begins with '{' or '['. */
  private static int firstJson(String out) {
    int pos = 0;
    for (String line : out.split("\n", -1)) {
      String t = line.stripLeading();
      if (t.startsWith("{") || t.startsWith("[")) {
        return pos + (line.length() - t.length());
      }
      pos += line.length() + 1;
    }
    return -1;
  }

  private static String abbreviate(String s) {
    return s.length() <= 400 ? s : s.substring(0, 400) + "...";
  }
}
