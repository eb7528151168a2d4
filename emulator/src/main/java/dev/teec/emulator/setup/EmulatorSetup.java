package dev.teec.emulator.setup;

import dev.teec.emulator.Directories;
import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.HostTools;
import dev.teec.emulator.ImageRecipe;
import dev.teec.emulator.ScriptRunner;
import dev.teec.emulator.StepFailedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Prepares the emulator once: runs the recipe's {@code emulator/setup.sh} into a temporary
 * directory beside the result, records the digest of every file it made and the recipe digest in
 * the stamp, and only then renames the directory into place. A run whose stamp matches the recipe
 * and whose files are unchanged does nothing; a failed or interrupted run leaves no result that a
 * later run could take for a good one.
 */
public final class EmulatorSetup {
  /** What the scripts need on the host. */
  public static final List<String> TOOLS =
      List.of("sh", "mmdebstrap", "curl", "sha256sum", "dpkg-deb");

  /** How to install them on Debian or Ubuntu. */
  public static final String INSTALL =
      "apt-get install mmdebstrap debian-archive-keyring curl dpkg";

  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final EmulatorHome home;
  private final ImageRecipe recipe;
  private final Map<String, String> environment;
  private final Clock clock;

  /**
   * @param home where to set up
   * @param recipe what to set up from
   * @param environment the environment the scripts run with (PATH finds the host tools)
   * @param clock for log names and the duration
   */
  public EmulatorSetup(
      EmulatorHome home, ImageRecipe recipe, Map<String, String> environment, Clock clock) {
    this.home = home;
    this.recipe = recipe;
    this.environment = Map.copyOf(environment);
    this.clock = clock;
  }

  /** The recipe digest a current setup's stamp must record. */
  public String key() {
    return recipe.digest(ImageRecipe.SETUP);
  }

  /**
   * The current installation, if one matches the recipe and is undamaged.
   *
   * @throws IOException when the stamp cannot be read
   */
  public Optional<Installation> current() throws IOException {
    Optional<Installation> installed = Installation.read(home.setup());
    if (installed.isEmpty()
        || !installed.get().key().equals(key())
        || installed.get().damage().isPresent()) {
      return Optional.empty();
    }
    return installed;
  }

  /**
   * Sets up, unless an installation from this recipe is already there.
   *
   * @param force set up again even when it is
   * @param progress told of each step as it starts
   * @throws StepFailedException naming the failed step and its log
   */
  public SetupResult run(boolean force, Consumer<String> progress)
      throws StepFailedException, IOException, InterruptedException {
    Instant start = clock.instant();
    Files.createDirectories(home.root());
    try (FileChannel lockFile =
            FileChannel.open(
                home.root().resolve(".setup.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      Optional<Installation> installed = Installation.read(home.setup());
      if (!force && installed.isPresent()) {
        if (!installed.get().key().equals(key())) {
          progress.accept(
              "the setup in " + home.setup() + " was made from another recipe: setting up again");
        } else {
          Optional<String> damage = installed.get().damage();
          if (damage.isEmpty()) {
            return new SetupResult(
                installed.get(), false, Duration.between(start, clock.instant()), Optional.empty());
          }
          progress.accept(
              "the setup in "
                  + home.setup()
                  + " is damaged ("
                  + damage.get()
                  + "): setting up again");
        }
      }
      HostTools.require(environment, "check the host's tools", INSTALL, TOOLS);
      Path log = home.logs().resolve("setup-" + LOG_TIME.format(start) + ".log");
      Path work = Files.createTempDirectory(home.root(), ".setup-");
      Path tmp = Directories.scriptTmp();
      try {
        Path recipeDir = recipe.extract(work.resolve("recipe"));
        Path made = Files.createDirectory(work.resolve("setup"));
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("TMPDIR", tmp.toString());
        new ScriptRunner(log, progress)
            .run(
                "start the setup script",
                List.of("sh", recipeDir.resolve("emulator/setup.sh").toString(), made.toString()),
                env);
        Installation result =
            new Installation(
                made, key(), versions(made.resolve("versions.env")), Installation.digestTree(made));
        result.write();
        if (Files.exists(home.setup())) {
          Files.move(home.setup(), work.resolve("previous"), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(made, home.setup(), StandardCopyOption.ATOMIC_MOVE);
        Installation placed = Installation.read(home.setup()).orElseThrow();
        return new SetupResult(
            placed, true, Duration.between(start, clock.instant()), Optional.of(log));
      } finally {
        Directories.deleteTree(work);
        Directories.deleteTree(tmp);
      }
    }
  }

  private static Map<String, String> versions(Path file) throws IOException {
    Map<String, String> versions = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        versions.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return versions;
  }
}
