package dev.teec.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bin/teec, bin/teec-verify and bin/teec-launcher.sh of this checkout, run by sh in a copy of the
 * checkout's layout with a stand-in {@code java} and {@code mvn} that record how they are called.
 */
class LauncherTest {
  private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();
  private static final Instant NOW = Instant.now();

  /**
   * bin/teec-verify's JVM options: transparent huge pages only where this Linux offers them
   * (HotSpot elsewhere refuses the option).
   */
  private static final String VERIFY_OPTIONS =
      "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
          + (Files.exists(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"))
              ? " -XX:+UseTransparentHugePages"
              : "");

  @TempDir Path dir;
  private Path root;
  private Path log;

  /** Every module of the reactor (the root pom's default module list). */
  static List<String> modules() throws IOException {
    String pom = Files.readString(CHECKOUT.resolve("pom.xml"));
    String defaults = pom.substring(0, pom.indexOf("<profiles>"));
    List<String> modules = new ArrayList<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(defaults);
    while (m.find()) {
      modules.add(m.group(1));
    }
    return modules;
  }

  /** What a change to must rebuild the jar: the poms, every module's main sources, the recipe. */
  static Stream<String> watchedFiles() throws IOException {
    List<String> files = new ArrayList<>(List.of("pom.xml", "enclave/images/pins.env"));
    for (String module : modules()) {
      files.add(module + "/pom.xml");
      files.add(module + "/src/main/java/Some.java");
    }
    return files.stream();
  }

  @BeforeEach
  void layout() throws IOException {
    root = dir.resolve("checkout");
    log = dir.resolve("calls.log");
    for (String script : List.of("teec", "teec-verify", "teec-launcher.sh")) {
      Path target = root.resolve("bin").resolve(script);
      Files.createDirectories(target.getParent());
      Files.copy(CHECKOUT.resolve("bin").resolve(script), target);
    }
    for (String file : watchedFiles().toList()) {
      write(root.resolve(file), "x", NOW.minusSeconds(7200));
    }
    try (Stream<Path> paths = Files.walk(root)) {
      // A directory's time changes when a file is added or removed, which the check also watches.
      for (Path d : paths.filter(Files::isDirectory).toList()) {
        Files.setLastModifiedTime(d, FileTime.from(NOW.minusSeconds(7200)));
      }
    }
    write(jar(), "jar", NOW.minusSeconds(3600));
    Path jdk = dir.resolve("jdk");
    write(jdk.resolve("release"), "JAVA_RUNTIME_VERSION=\"17.0.99+1-test\"\n", NOW);
    executable(
        jdk.resolve("bin/java"),
        "echo \"java $*\" >> \"$CALLS\"\n"
            + "case \" $* \" in *' -Xshare:dump '*)\n"
            + "  [ -n \"${DUMP_FAILS:-}\" ] && exit 1\n"
            + "  for a; do case $a in -XX:SharedArchiveFile=*) echo jsa > \"${a#*=}\";; esac; done;;\n"
            + "esac\n");
    executable(
        dir.resolve("fakebin/mvn"),
        "echo \"mvn $* in $PWD TEEC_NO_REBUILD=$TEEC_NO_REBUILD\" >> \"$CALLS\"\n"
            + "[ -n \"${MVN_FAILS:-}\" ] && exit 1\n"
            + "touch verifier-cli/target/teec-cli.jar\n");
  }

  private Path jar() {
    return root.resolve("verifier-cli/target/teec-cli.jar");
  }

  private static void write(Path file, String content, Instant time) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.from(time));
  }

  private static void executable(Path file, String body) throws IOException {
    write(file, "#!/bin/sh\n" + body, NOW);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private record Run(int exitCode, String stderr, List<String> calls) {}

  private Run run(Path script, Map<String, String> extraEnvironment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile());
    pb.redirectError(dir.resolve("err").toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("TEEC_") || k.startsWith("XDG_"));
    env.put("PATH", dir.resolve("fakebin") + ":/usr/bin:/bin");
    env.put("JAVA_HOME", dir.resolve("jdk").toString());
    env.put("HOME", dir.resolve("home").toString());
    env.put("CALLS", log.toString());
    env.putAll(extraEnvironment);
    int exit = pb.start().waitFor();
    List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
    Files.deleteIfExists(log);
    return new Run(exit, Files.readString(dir.resolve("err"), StandardCharsets.UTF_8), calls);
  }

  private Run teecVerify(String... args) throws IOException, InterruptedException {
    return run(root.resolve("bin/teec-verify"), Map.of(), args);
  }

  @Test
  void teecVerify_freshJar_runsItWithItsJvmOptionsAndBuildsNothing() throws Exception {
    Run run = teecVerify("doc", "a file.cbor");

    assertThat(run.exitCode()).isZero();
    assertThat(run.calls())
        .containsExactly(
            "java "
                + VERIFY_OPTIONS
                + " -cp "
                + jar()
                + " dev.teec.cli.TeecVerify doc a file.cbor");
  }

  @Test
  void teec_freshJar_runsTheUmbrellaCommandWithDefaultJvmOptions() throws Exception {
    Run run = run(root.resolve("bin/teec"), Map.of(), "demo");

    assertThat(run.calls()).containsExactly("java -cp " + jar() + " dev.teec.cli.Teec demo");
  }

  @ParameterizedTest
  @MethodSource("watchedFiles")
  void teecVerify_fileNewerThanTheJar_rebuildsFirstThenRuns(String file) throws Exception {
    Files.setLastModifiedTime(root.resolve(file), FileTime.from(NOW));

    Run run = teecVerify("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.calls())
        .containsExactly(
            "mvn -B -q -DskipTests -pl verifier-cli -am package in " + root + " TEEC_NO_REBUILD=1",
            "java " + VERIFY_OPTIONS + " -cp " + jar() + " dev.teec.cli.TeecVerify --version");
    assertThat(run.stderr()).contains("teec-verify: building " + jar());
    assertThat(teecVerify("--version").calls()).noneMatch(c -> c.startsWith("mvn"));
  }

  @Test
  void teecVerify_noJar_buildsIt() throws Exception {
    Files.delete(jar());

    assertThat(teecVerify("--version").calls()).first().asString().startsWith("mvn ");
  }

  @Test
  void teecVerify_buildFails_exits3SayingWhatToRunAndRunsNothing() throws Exception {
    Files.setLastModifiedTime(
        root.resolve("trust-store/src/main/java/Some.java"), FileTime.from(NOW));

    Run run = run(root.resolve("bin/teec-verify"), Map.of("MVN_FAILS", "1"), "--version");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stderr())
        .contains(
            "teec-verify: building the CLI failed; run 'mvn -pl verifier-cli -am package' in "
                + root);
    assertThat(run.calls()).noneMatch(c -> c.startsWith("java"));
  }

  @Test
  void teecVerify_noRebuildSet_runsTheStaleJar() throws Exception {
    Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(NOW));

    Run run = run(root.resolve("bin/teec-verify"), Map.of("TEEC_NO_REBUILD", "1"), "--version");

    assertThat(run.calls()).singleElement().asString().startsWith("java ");
  }

  @Test
  void teecVerify_linkedFromElsewhere_findsTheCheckout() throws Exception {
    Path link = dir.resolve("on-path/tv");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, root.resolve("bin/teec-verify"));

    Run run = run(link, Map.of(), "--version");

    assertThat(run.calls()).singleElement().asString().contains("-cp " + jar() + " ");
  }

  @Test
  void distributionLayout_runsLibJarAndNeverBuilds() throws Exception {
    Path dist = dir.resolve("teec-1.0");
    for (String script : List.of("teec", "teec-verify", "teec-launcher.sh")) {
      Files.createDirectories(dist.resolve("bin"));
      Files.copy(root.resolve("bin").resolve(script), dist.resolve("bin").resolve(script));
    }
    write(dist.resolve("lib/teec-cli.jar"), "jar", NOW.minusSeconds(3600));

    Run run = run(dist.resolve("bin/teec-verify"), Map.of("MVN_FAILS", "1"), "--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.calls())
        .containsExactly(
            "java "
                + VERIFY_OPTIONS
                + " -cp "
                + dist.resolve("lib/teec-cli.jar")
                + " dev.teec.cli.TeecVerify --version");
  }

  @Test
  void classList_firstCallDumpsAnArchiveForThisRuntime_laterCallsMapIt() throws Exception {
    Path list = root.resolve("verifier-cli/target/teec-verify.classlist");
    write(list, "java/lang/Object\n", NOW.minusSeconds(3600));

    List<String> first = teecVerify("--version").calls();
    List<String> second = teecVerify("--version").calls();

    assertThat(first).hasSize(2);
    assertThat(first.get(0))
        .startsWith("java -Xshare:dump -XX:SharedClassListFile=" + list)
        .contains(
            "-XX:SharedArchiveFile="
                + root.resolve("verifier-cli/target/teec-verify-17.0.99+1-test-"));
    Matcher archive = Pattern.compile("-XX:SharedArchiveFile=(\\S+\\.jsa) ").matcher(first.get(1));
    assertThat(archive.find()).as(first.get(1)).isTrue();
    assertThat(Path.of(archive.group(1))).exists();
    assertThat(second)
        .containsExactly(
            "java "
                + VERIFY_OPTIONS
                + " -XX:SharedArchiveFile="
                + archive.group(1)
                + " -Xshare:auto -Xlog:cds=off -cp "
                + jar()
                + " dev.teec.cli.TeecVerify --version");

    Files.setLastModifiedTime(jar(), FileTime.from(NOW.plusSeconds(60)));
    assertThat(teecVerify("--version").calls()).first().asString().contains("-Xshare:dump");
  }

  @Test
  void classList_eachCommandMapsTheArchiveOfItsOwnList() throws Exception {
    write(root.resolve("verifier-cli/target/teec-cli.classlist"), "x\n", NOW.minusSeconds(3600));

    assertThat(teecVerify("--version").calls()).singleElement().asString().doesNotContain("Xshare");
    List<String> teec = run(root.resolve("bin/teec"), Map.of(), "--version").calls();

    assertThat(teec).hasSize(2);
    assertThat(teec.get(0))
        .startsWith(
            "java -Xshare:dump -XX:SharedClassListFile="
                + root.resolve("verifier-cli/target/teec-cli.classlist"))
        .contains(
            "-XX:SharedArchiveFile="
                + root.resolve("verifier-cli/target/teec-cli-17.0.99+1-test-"));
    assertThat(teec.get(1))
        .contains("/teec-cli-17.0.99+1-test-")
        .endsWith("dev.teec.cli.Teec --version");
  }

  @Test
  void classList_dumpFails_runsWithoutAnArchive() throws Exception {
    write(root.resolve("verifier-cli/target/teec-verify.classlist"), "x\n", NOW.minusSeconds(3600));

    Run run = run(root.resolve("bin/teec-verify"), Map.of("DUMP_FAILS", "1"), "--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.calls()).hasSize(2);
    assertThat(run.calls().get(1)).doesNotContain("SharedArchiveFile");
    try (var files = Files.list(root.resolve("verifier-cli/target"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".jsa"));
    }
  }

  @Test
  void classList_cdsOff_runsWithoutAnArchive() throws Exception {
    write(root.resolve("verifier-cli/target/teec-verify.classlist"), "x\n", NOW.minusSeconds(3600));

    Run run = run(root.resolve("bin/teec-verify"), Map.of("TEEC_CDS", "off"), "--version");

    assertThat(run.calls()).singleElement().asString().doesNotContain("Xshare");
  }
}
