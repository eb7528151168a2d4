package dev.teec.formats.buildspec;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A validated build.json (spec part "W1. build.json"). Instances are immutable and always valid:
 * the constructors enforce the same rules as {@link #parse(byte[])}, throwing an {@link
 * IllegalArgumentException} whose message starts with the JSON path.
 *
 * @param language the build language
 * @param toolchain the toolchain version the user asks for (for example {@code 1.79.0}); the worker
 *     compares it with its image's toolchain
 * @param input how to run the build
 * @param output what the build produces
 */
public record BuildSpec(Language language, Optional<String> toolchain, Input input, Output output) {
  /** Largest accepted build.json, in bytes; checked before parsing. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final Pattern TOOLCHAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

  public BuildSpec {
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(toolchain, "toolchain");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    if (toolchain.isPresent() && !TOOLCHAIN.matcher(toolchain.get()).matches()) {
      throw new InvalidSpec(
          "$.toolchain",
          "must be 1..64 characters from A-Z a-z 0-9 . _ + - starting with a letter or digit");
    }
  }

  /**
   * Parses and validates build.json.
   *
   * @throws BuildSpecException naming the JSON path of the first problem found
   */
  public static BuildSpec parse(byte[] json) throws BuildSpecException {
    return BuildSpecParser.parse(Objects.requireNonNull(json, "json"));
  }

  /**
   * Reads at most {@link #MAX_BYTES} (+1, to detect oversize) from the stream and parses it like
   * {@link #parse(byte[])}. Does not close the stream.
   *
   * @throws BuildSpecException for invalid or oversized content
   * @throws IOException if reading fails
   */
  public static BuildSpec parse(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new BuildSpecException("$", "build.json is larger than " + MAX_BYTES + " bytes");
    }
    return parse(bytes);
  }

  /**
   * The effective specification with every default filled in, as JSON-ready values (maps with
   * sorted keys, lists, strings, numbers), for embedding in the build report.
   */
  public SortedMap<String, Object> toMap() {
    SortedMap<String, Object> in = new TreeMap<>();
    in.put("cmd", input.cmd());
    in.put("workdir", input.workdir());
    in.put("env", new TreeMap<>(input.env()));
    in.put("timeoutSeconds", input.timeout().toSeconds());
    SortedMap<String, Object> out = new TreeMap<>();
    out.put("files", output.files().stream().map(OutputPattern::pattern).toList());
    SortedMap<String, Object> root = new TreeMap<>();
    root.put("language", language.id());
    toolchain.ifPresent(t -> root.put("toolchain", t));
    root.put("input", Collections.unmodifiableSortedMap(in));
    root.put("output", Collections.unmodifiableSortedMap(out));
    return Collections.unmodifiableSortedMap(root);
  }

  /**
   * build.json's {@code input}.
   *
   * @param cmd the shell command (run with {@code /bin/sh -c}); not blank, at most {@value
   *     #MAX_CMD_LENGTH} characters, no NUL
   * @param workdir directory the command starts in, relative to the source root; {@code "."} is the
   *     root itself
   * @param env extra environment variables with explicit values, sorted by name; names match {@code
   *     [A-Za-z_][A-Za-z0-9_]*} and are not reserved ({@link #isReservedVariable})
   * @param timeout wall-clock limit, whole seconds from 1 s to {@link #MAX_TIMEOUT}
   */
  public record Input(String cmd, String workdir, Map<String, String> env, Duration timeout) {
    public static final int MAX_CMD_LENGTH = 16 * 1024;
    public static final int MAX_ENV_ENTRIES = 64;
    public static final int MAX_ENV_VALUE_LENGTH = 8 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration MAX_TIMEOUT = Duration.ofHours(4);

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Set<String> RESERVED =
        Set.of("PATH", "HOME", "TMPDIR", "TZ", "LANG", "LANGUAGE", "SOURCE_DATE_EPOCH", "PWD");

    public Input {
      Objects.requireNonNull(cmd, "cmd");
      Objects.requireNonNull(workdir, "workdir");
      Objects.requireNonNull(env, "env");
      Objects.requireNonNull(timeout, "timeout");
      if (cmd.isBlank()) {
        throw new InvalidSpec("$.input.cmd", "must not be empty");
      }
      if (cmd.length() > MAX_CMD_LENGTH) {
        throw new InvalidSpec("$.input.cmd", "is longer than " + MAX_CMD_LENGTH + " characters");
      }
      if (cmd.indexOf('\0') >= 0) {
        throw new InvalidSpec("$.input.cmd", "contains a NUL character");
      }
      if (!workdir.equals(".")) {
        String problem = RelativePath.problem(workdir, false);
        if (problem != null) {
          throw new InvalidSpec("$.input.workdir", problem);
        }
      }
      if (env.size() > MAX_ENV_ENTRIES) {
        throw new InvalidSpec("$.input.env", "has more than " + MAX_ENV_ENTRIES + " variables");
      }
      SortedMap<String, String> sorted = new TreeMap<>();
      for (Map.Entry<String, String> e : env.entrySet()) {
        String name = Objects.requireNonNull(e.getKey(), "env name");
        String value = Objects.requireNonNull(e.getValue(), "env value");
        String path = BuildSpecParser.member("$.input.env", name);
        if (!ENV_NAME.matcher(name).matches()) {
          throw new InvalidSpec(
              path, "variable names match [A-Za-z_][A-Za-z0-9_]* (at most 128 characters)");
        }
        if (isReservedVariable(name)) {
          throw new InvalidSpec(path, "is set by the worker and cannot be overridden");
        }
        if (value.length() > MAX_ENV_VALUE_LENGTH) {
          throw new InvalidSpec(
              path, "value is longer than " + MAX_ENV_VALUE_LENGTH + " characters");
        }
        if (value.indexOf('\0') >= 0) {
          throw new InvalidSpec(path, "value contains a NUL character");
        }
        sorted.put(name, value);
      }
      env = Collections.unmodifiableSortedMap(sorted);
      if (timeout.isNegative()
          || timeout.isZero()
          || timeout.getNano() != 0
          || timeout.compareTo(MAX_TIMEOUT) > 0) {
        throw new InvalidSpec(
            "$.input.timeoutSeconds",
            "must be a whole number of seconds from 1 to " + MAX_TIMEOUT.toSeconds());
      }
    }

    /**
     * Whether the worker owns this variable, so build.json may not set it: PATH, HOME, TMPDIR, TZ,
     * LANG, LANGUAGE, SOURCE_DATE_EPOCH, PWD, every LC_* and TEEC_* name, and every *_PROXY name in
     * any case (the proxy settings route the build through the recording proxy).
     */
    public static boolean isReservedVariable(String name) {
      String upper = name.toUpperCase(Locale.ROOT);
      return RESERVED.contains(name)
          || name.startsWith("LC_")
          || name.startsWith("TEEC_")
          || upper.endsWith("_PROXY");
    }
  }

  /**
   * build.json's {@code output}.
   *
   * @param files 1..{@value #MAX_FILES} distinct patterns, in build.json order
   */
  public record Output(List<OutputPattern> files) {
    public static final int MAX_FILES = 1000;

    public Output {
      Objects.requireNonNull(files, "files");
      if (files.isEmpty()) {
        throw new InvalidSpec("$.output.files", "must list at least one file");
      }
      if (files.size() > MAX_FILES) {
        throw new InvalidSpec("$.output.files", "lists more than " + MAX_FILES + " entries");
      }
      Map<String, Integer> seen = new HashMap<>();
      List<OutputPattern> copy = new ArrayList<>(files.size());
      for (int i = 0; i < files.size(); i++) {
        OutputPattern p = Objects.requireNonNull(files.get(i), "files[" + i + "]");
        Integer first = seen.putIfAbsent(p.pattern(), i);
        if (first != null) {
          throw new InvalidSpec(
              "$.output.files[" + i + "]", "duplicates $.output.files[" + first + "]");
        }
        copy.add(p);
      }
      files = List.copyOf(copy);
    }
  }
}
