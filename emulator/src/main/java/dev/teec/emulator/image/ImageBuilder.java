package dev.teec.emulator.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.digest.Digests;
import dev.teec.emulator.Directories;
import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.HostTools;
import dev.teec.emulator.ImageRecipe;
import dev.teec.emulator.ScriptRunner;
import dev.teec.emulator.StepFailedException;
import dev.teec.emulator.image.Initramfs.Entry;
import dev.teec.emulator.setup.EmulatorSetup;
import dev.teec.emulator.setup.Installation;
import dev.teec.truststore.eif.EifFormatException;
import dev.teec.truststore.eif.EifMeasurement;
import dev.teec.truststore.eif.EifReader;
import dev.teec.truststore.eif.EifWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Builds (or finds already built) the emulated enclave image of one language: an EIF whose first
 * ramdisk (PCR1, with the kernel) is the boot ramdisk ({@code /init}, busybox, the kernel's
 * modules) and whose second (PCR2) is the application: the pinned root file system with the worker,
 * laid out as the Dockerfile lays it out. The file is named by the digest of every input, so a
 * build with the same inputs reuses it, and two builds of the same inputs give the same bytes.
 */
public final class ImageBuilder {
  /** The languages there are images for. */
  public static final List<String> LANGUAGES = List.of("c", "rust", "go", "maven");

  /** Where the worker's jars go in the image (as the Dockerfile puts them). */
  public static final String WORKER_DIR = "opt/teec/worker";

  /** Debian's CA bundle, which the worker trusts for upstream TLS ({@code start-worker}). */
  public static final String CA_BUNDLE = "etc/ssl/certs/ca-certificates.crt";

  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final EmulatorHome home;
  private final ImageRecipe recipe;
  private final Installation installation;
  private final List<Path> workerJars;
  private final Map<String, String> environment;
  private final Clock clock;
  private final ExtraCaCerts extraCaCerts;

  /**
   * @param home where root file systems and images are kept
   * @param recipe the recipe (pins, scripts, init)
   * @param installation the emulator's setup (kernel, modules, busybox)
   * @param workerJars the worker's class path: jars holding {@code
   *     dev.teec.enclave.worker.WorkerMain} and its dependencies
   * @param environment the environment the root file system script runs with
   * @param clock for log names and durations
   */
  public ImageBuilder(
      EmulatorHome home,
      ImageRecipe recipe,
      Installation installation,
      List<Path> workerJars,
      Map<String, String> environment,
      Clock clock) {
    this(home, recipe, installation, workerJars, environment, clock, ExtraCaCerts.NONE);
  }

  private ImageBuilder(
      EmulatorHome home,
      ImageRecipe recipe,
      Installation installation,
      List<Path> workerJars,
      Map<String, String> environment,
      Clock clock,
      ExtraCaCerts extraCaCerts) {
    if (workerJars.isEmpty()) {
      throw new IllegalArgumentException("the image needs the worker's jars");
    }
    this.home = home;
    this.recipe = recipe;
    this.installation = installation;
    this.workerJars = List.copyOf(workerJars);
    this.environment = Map.copyOf(environment);
    this.clock = clock;
    this.extraCaCerts = extraCaCerts;
  }

  /**
   * This builder, making images that also trust {@code certs} for upstream TLS: appended to the
   * image's {@value #CA_BUNDLE}. That widens trust; such an image has other PCRs (PCR0, PCR2) than
   * the plain one, and its result lists the certificates.
   */
  public ImageBuilder withExtraCaCerts(ExtraCaCerts certs) {
    return new ImageBuilder(
        home, recipe, installation, workerJars, environment, clock, Objects.requireNonNull(certs));
  }

  /**
   * The image of {@code language}.
   *
   * @param rebuild write the image again even when it is there
   * @param rebuildRootfs make the root file system again too (mmdebstrap)
   * @param progress told of each step as it starts
   * @throws StepFailedException naming the failed step (and its log)
   */
  public ImageResult build(
      String language, boolean rebuild, boolean rebuildRootfs, Consumer<String> progress)
      throws StepFailedException, IOException, InterruptedException {
    if (!LANGUAGES.contains(language)) {
      throw new IllegalArgumentException(
          "unknown language '" + language + "' (known: " + String.join(", ", LANGUAGES) + ")");
    }
    Instant start = clock.instant();
    Path rootfs = rootfs(language, rebuildRootfs, progress);
    progress.accept("digests of the inputs");
    Map<String, String> inputs = inputs(rootfs);
    String key = key(language, inputs);
    Path eif = home.images().resolve("teec-" + language + "-" + key.substring(0, 16) + ".eif");
    boolean reused = Files.isRegularFile(eif) && !rebuild && !rebuildRootfs;
    if (!reused) {
      progress.accept("initramfs and EIF for " + language);
      write(rootfs, eif);
    }
    Map<Integer, String> pcrs = measure(eif);
    if (!reused) {
      writeDescription(eif, language, key, inputs, pcrs, extraCaCerts);
    }
    return new ImageResult(
        language,
        eif,
        pcrs,
        key,
        reused,
        Duration.between(start, clock.instant()),
        inputs,
        extraCaCerts);
  }

  /** Where the language's root file system tar is kept: named by the digest of its recipe. */
  public Path rootfsTar(String language) {
    String key = sha256(recipe.digest(ImageRecipe.ROOTFS) + "\0" + language);
    return home.rootfs().resolve(language + "-" + key.substring(0, 16) + ".tar");
  }

  /** The language's root file system tar, made by the recipe's rootfs.sh unless already there. */
  private Path rootfs(String language, boolean rebuild, Consumer<String> progress)
      throws StepFailedException, IOException, InterruptedException {
    Path tar = rootfsTar(language);
    if (Files.isRegularFile(tar) && !rebuild) {
      return tar;
    }
    String step = "root file system for " + language + " (mmdebstrap, a few minutes)";
    HostTools.require(
        environment, step, EmulatorSetup.INSTALL, List.of("sh", "mmdebstrap", "curl", "sha256sum"));
    Files.createDirectories(home.rootfs());
    Path work = Files.createTempDirectory(home.rootfs(), ".build-");
    Path tmp = Directories.scriptTmp();
    try {
      Path recipeDir = recipe.extract(work.resolve("recipe"));
      Map<String, String> env = new LinkedHashMap<>(environment);
      env.put("TMPDIR", tmp.toString());
      Path log =
          home.logs()
              .resolve("rootfs-" + language + "-" + LOG_TIME.format(clock.instant()) + ".log");
      Path made = work.resolve("rootfs.tar");
      new ScriptRunner(log, progress)
          .run(
              step,
              List.of("sh", recipeDir.resolve("rootfs.sh").toString(), language, made.toString()),
              env);
      Files.move(made, tar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return tar;
    } finally {
      Directories.deleteTree(work);
      Directories.deleteTree(tmp);
    }
  }

  /** The SHA-256 of every input, by name, in a fixed order. */
  private Map<String, String> inputs(Path rootfs) throws IOException {
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("rootfs", Digests.sha256Hex(rootfs));
    for (Path jar : workerJars) {
      inputs.put("worker/" + jar.getFileName(), Digests.sha256Hex(jar));
    }
    inputs.put("kernel", installation.digest(installation.kernel()));
    for (String module : Installation.MODULES) {
      inputs.put("modules/" + module, installation.digest(installation.modules().resolve(module)));
    }
    inputs.put("busybox", installation.digest(installation.busybox()));
    inputs.put("recipe", recipe.digest(ImageRecipe.IMAGE));
    if (!extraCaCerts.isEmpty()) {
      inputs.put("extra-ca-certs", Digests.sha256Hex(extraCaCerts.pem()));
    }
    return inputs;
  }

  private static String key(String language, Map<String, String> inputs) {
    StringBuilder s = new StringBuilder("teec emulator image 1\nlanguage=" + language + "\n");
    new TreeMap<>(inputs).forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
    return sha256(s.toString());
  }

  private void write(Path rootfs, Path eif) throws IOException {
    Files.createDirectories(home.images());
    Path work = Files.createTempDirectory(home.images(), ".build-");
    try {
      long epoch = Long.parseLong(recipe.pins().get("SOURCE_DATE_EPOCH"));
      Path boot = work.resolve("boot.cpio");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(boot), 1 << 16)) {
        bootRamdisk(epoch).write(out);
      }
      Path app = work.resolve("app.cpio");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(app), 1 << 16);
          RootfsTar tar = new RootfsTar(rootfs)) {
        Initramfs initramfs = new Initramfs();
        tar.addTo(initramfs);
        addExtraCaCerts(initramfs);
        addWorker(initramfs, epoch);
        initramfs.write(out);
      }
      EifWriter.builder()
          .kernel(installation.kernel())
          .cmdline(recipe.pins().get("KERNEL_CMDLINE"))
          .addRamdisk(boot)
          .addRamdisk(app)
          .build()
          .write(eif);
    } finally {
      Directories.deleteTree(work);
    }
  }

  /** /init, busybox and the kernel's modules: what depends on the kernel (PCR1 with it). */
  private Initramfs bootRamdisk(long epoch) {
    Initramfs boot = new Initramfs();
    boot.add(Entry.directory("dev", 0755, epoch));
    boot.add(
        new Entry(
            "dev/console",
            Initramfs.Kind.CHARACTER_DEVICE,
            0600,
            0,
            0,
            epoch,
            0,
            null,
            null,
            null,
            5,
            1));
    byte[] init = recipe.file("emulator/init");
    boot.add(Entry.file("init", 0755, epoch, init.length, () -> new ByteArrayInputStream(init)));
    boot.add(Entry.directory("teec-init", 0755, epoch));
    boot.add(fileEntry("teec-init/busybox", 0755, epoch, installation.busybox()));
    boot.add(Entry.directory("teec-init/modules", 0755, epoch));
    for (String module : Installation.MODULES) {
      boot.add(
          fileEntry(
              "teec-init/modules/" + module, 0644, epoch, installation.modules().resolve(module)));
    }
    return boot;
  }

  /** Debian's CA bundle followed by the extra certificates, if there are any. */
  private void addExtraCaCerts(Initramfs app) throws IOException {
    if (extraCaCerts.isEmpty()) {
      return;
    }
    Entry bundle =
        app.entry(CA_BUNDLE)
            .filter(e -> e.kind() == Initramfs.Kind.FILE && e.hardLinkGroup() == null)
            .orElseThrow(
                () ->
                    new IOException(
                        "the root file system has no regular file "
                            + CA_BUNDLE
                            + " to add the extra CA certificates to"));
    byte[] debian;
    try (var in = bundle.content().open()) {
      debian = in.readAllBytes();
    }
    java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
    joined.write(debian);
    if (debian.length > 0 && debian[debian.length - 1] != '\n') {
      joined.write('\n');
    }
    joined.write(extraCaCerts.pem());
    byte[] trusted = joined.toByteArray();
    app.replace(
        new Entry(
            bundle.name(),
            Initramfs.Kind.FILE,
            bundle.permissions(),
            bundle.uid(),
            bundle.gid(),
            bundle.mtime(),
            trusted.length,
            () -> new ByteArrayInputStream(trusted),
            null,
            null,
            0,
            0));
  }

  /** The worker and how it starts, where the Dockerfile puts them. */
  private void addWorker(Initramfs app, long epoch) throws IOException {
    if (!app.contains("opt")) {
      throw new IOException("the root file system has no /opt directory");
    }
    app.add(Entry.directory("opt/teec", 0755, epoch));
    app.add(Entry.directory(WORKER_DIR, 0755, epoch));
    for (Path jar : workerJars) {
      app.add(fileEntry(WORKER_DIR + "/" + jar.getFileName(), 0644, epoch, jar));
    }
    byte[] start = recipe.file("start-worker");
    app.add(
        Entry.file(
            "opt/teec/start-worker",
            0755,
            epoch,
            start.length,
            () -> new ByteArrayInputStream(start)));
  }

  private static Entry fileEntry(String name, int permissions, long epoch, Path file) {
    try {
      return Entry.file(
          name, permissions, epoch, Files.size(file), () -> Files.newInputStream(file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Map<Integer, String> measure(Path eif) throws IOException {
    EifMeasurement m;
    try {
      m = EifReader.measure(eif);
    } catch (EifFormatException e) {
      throw new IOException(eif + " is not a well-formed EIF: " + e.getMessage(), e);
    }
    Map<Integer, String> pcrs = new TreeMap<>();
    pcrs.put(0, m.pcr0().hex());
    pcrs.put(1, m.pcr1().hex());
    pcrs.put(2, m.pcr2().hex());
    return pcrs;
  }

  /** A JSON file beside the EIF: what it was made from, and its PCRs. */
  private static void writeDescription(
      Path eif,
      String language,
      String key,
      Map<String, String> inputs,
      Map<Integer, String> pcrs,
      ExtraCaCerts extraCaCerts)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode n = json.createObjectNode();
    n.put("language", language);
    n.put("key", key);
    n.set("inputs", json.valueToTree(inputs));
    ObjectNode p = n.putObject("pcrs");
    pcrs.forEach((i, v) -> p.put(String.valueOf(i), v));
    n.set("extraCaCerts", extraCaCerts.toJson());
    Path file = eif.resolveSibling(eif.getFileName().toString().replaceFirst("\\.eif$", ".json"));
    Path tmp = Files.createTempFile(eif.getParent(), ".description-", ".tmp");
    try {
      json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), n);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String sha256(String s) {
    return Digests.sha256Hex(s.getBytes(StandardCharsets.UTF_8));
  }
}
