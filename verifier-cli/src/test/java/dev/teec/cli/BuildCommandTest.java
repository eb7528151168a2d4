package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.VsockTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code teec build} in local mode, with a real worker process. */
class BuildCommandTest {
  private static final String C_BUILD_JSON =
      "{\"language\":\"c\",\"input\":{\"cmd\":\"echo compiling; gcc -o hello hello.c\"},"
          + "\"output\":{\"files\":[\"hello\"]}}";

  @TempDir Path tmp;

  private Map<String, String> env() {
    return Map.of("TEEC_HOME", tmp.resolve("home").toString(), "PATH", "/usr/bin:/bin");
  }

  private CliRun teec(String... args) {
    return CliRun.run(clock -> Teec.newCommandLine(clock, env()), Clock.systemUTC(), args);
  }

  private String[] local(Path project, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "build",
                project.toString(),
                "--mode",
                "local",
                "--out",
                out.toString(),
                "--local-build-root",
                tmp.resolve("build").toString(),
                "--isolation",
                "none"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private Path project(String buildJson, String... files) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("project"));
    if (buildJson != null) {
      Files.writeString(dir.resolve("build.json"), buildJson);
    }
    for (int i = 0; i < files.length; i += 2) {
      Files.writeString(dir.resolve(files[i]), files[i + 1]);
    }
    return dir;
  }

  @Test
  void build_local_writesABundleThatTeecVerifyAcceptsWithSimulated() throws Exception {
    Path project = project(C_BUILD_JSON, "hello.c", "int main(void) { return 0; }\n");
    Path out = tmp.resolve("out/b.tar");
    CliRun run = teec(local(project, out));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("==> building")
        .contains("  | compiling")
        .contains("teec build: bundle written to " + out)
        .contains("SIMULATED")
        .contains("teec verify bundle --simulated " + out);
    CliRun verify = teec("verify", "bundle", "--simulated", out.toString());
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.out()).contains("VERIFIED  " + out);
  }

  @Test
  void build_failingCommand_exit1_logShown_noBundle() throws Exception {
    Path project =
        project(
            "{\"language\":\"c\",\"input\":{\"cmd\":\"echo no compiler today >&2; exit 4\"},"
                + "\"output\":{\"files\":[\"hello\"]}}");
    Path out = tmp.resolve("out/b.tar");
    CliRun run = teec(local(project, out, "--json"));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("  | no compiler today");
    JsonNode j = run.singleJson();
    assertThat(j.get("status").asText()).isEqualTo("failed");
    assertThat(j.get("failure").asText()).isEqualTo("BUILD_FAILED");
    assertThat(j.get("bundle").isNull()).isTrue();
    assertThat(run.err())
        .contains("the build failed (exit code 4)")
        .contains("no bundle was written");
    assertThat(Files.list(out.getParent())).isEmpty();
  }

  @Test
  void build_declaredOutputNotProduced_exit1_noBundle() throws Exception {
    Path project =
        project(
            "{\"language\":\"c\",\"input\":{\"cmd\":\"echo built nothing\"},"
                + "\"output\":{\"files\":[\"hello\"]}}");
    Path out = tmp.resolve("out/b.tar");
    CliRun run = teec(local(project, out));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .contains("the build failed")
        .contains("hello")
        .contains("no bundle was written");
    assertThat(Files.list(out.getParent())).isEmpty();
  }

  @Test
  void build_missingBuildJson_usageError() throws Exception {
    Path project = project(null, "hello.c", "int main(void) { return 0; }\n");
    CliRun run = teec(local(project, tmp.resolve("b.tar")));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("build.json: no such file");
    assertThat(tmp.resolve("b.tar")).doesNotExist();
  }

  @Test
  void build_invalidBuildJson_usageErrorNamingTheField() throws Exception {
    Path project =
        project(
            "{\"language\":\"python\",\"input\":{\"cmd\":\"true\"},\"output\":{\"files\":[\"x\"]}}");
    CliRun run = teec(local(project, tmp.resolve("b.tar")));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("$.language: unknown language \"python\"");
  }

  @Test
  void build_nitroWithoutImage_usageError() throws Exception {
    Path project = project(C_BUILD_JSON, "hello.c", "int main(void) { return 0; }\n");
    CliRun run =
        teec(
            "build",
            project.toString(),
            "--mode",
            "nitro",
            "--out",
            tmp.resolve("b.tar").toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("--eif PATH");
  }

  @Test
  void build_optionsOfTheOtherMode_usageErrors() throws Exception {
    Path project = project(C_BUILD_JSON, "hello.c", "int main(void) { return 0; }\n");
    Path out = tmp.resolve("b.tar");
    assertThat(teec(local(project, out, "--debug-enclave")).err())
        .contains("--debug-enclave applies to nitro mode only");
    CliRun eif = teec(local(project, out, "--eif", "x.eif"));
    assertThat(eif.exitCode()).isEqualTo(2);
    assertThat(eif.err()).contains("--eif applies to nitro mode only");
    CliRun noImage =
        teec(
            "build",
            project.toString(),
            "--mode",
            "nitro",
            "--eif",
            tmp.resolve("none.eif").toString());
    assertThat(noImage.exitCode()).isEqualTo(2);
    assertThat(noImage.err()).contains("none.eif: no such file");
    CliRun host =
        teec(
            "build",
            project.toString(),
            "--mode",
            "nitro",
            "--eif",
            "x.eif",
            "--allow-host",
            "https://evil.example.org/");
    assertThat(host.exitCode()).isEqualTo(2);
    assertThat(host.err()).contains("no scheme, port or path");
    CliRun localRegistry =
        teec(local(project, out, "--registry", "r.json", "--registry-keys", "k.jwks"));
    assertThat(localRegistry.exitCode()).isEqualTo(2);
    assertThat(localRegistry.err()).contains("--registry and --eif-dir apply to nitro mode only");
    CliRun both =
        teec(
            "build",
            project.toString(),
            "--mode",
            "nitro",
            "--eif",
            "x.eif",
            "--registry",
            "r.json");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("either --eif PATH or --registry FILE");
    CliRun noKeys = teec("build", project.toString(), "--mode", "nitro", "--registry", "r.json");
    assertThat(noKeys.exitCode()).isEqualTo(2);
    assertThat(noKeys.err()).contains("--registry needs --registry-keys");
    assertThat(out).doesNotExist();
  }

  /**
   * Nitro mode through the real command runner and a fake nitro-cli script that measures the image
   * but cannot start an enclave: the failure is reported with nitro-cli's message, exit 3, and
   * nothing is written. (The egress forwarder listens on AF_VSOCK first; skipped where that is
   * unavailable.)
   */
  @Test
  void build_nitroCliFailsToStartTheEnclave_exit3WithItsMessage() throws Exception {
    try (Acceptor probe =
        new VsockTransport(VsockTransport.CID_ANY, VsockTransport.PORT_ANY).listen()) {
      assertThat(probe).isNotNull();
    } catch (IOException | RuntimeException | LinkageError e) {
      Assumptions.abort("AF_VSOCK is not available here: " + e);
    }
    Path project = project(C_BUILD_JSON, "hello.c", "int main(void) { return 0; }\n");
    Path eif = Files.writeString(tmp.resolve("teec-c.eif"), "image");
    Path calls = tmp.resolve("calls.txt");
    String pcr = "0".repeat(95) + "1";
    Path fake =
        Files.writeString(
            tmp.resolve("nitro-cli"),
            "#!/bin/sh\n"
                + "echo \"$*\" >> '"
                + calls
                + "'\n"
                + "case \"$1\" in\n"
                + "  describe-eif) echo '{\"Measurements\": {\"PCR0\": \""
                + pcr
                + "\", \"PCR1\": \""
                + pcr
                + "\", \"PCR2\": \""
                + pcr
                + "\"}}' ;;\n"
                + "  run-enclave) echo 'Start allocating memory...'; echo '[ E26 ] Insufficient memory requested.' >&2; exit 1 ;;\n"
                + "  *) exit 2 ;;\n"
                + "esac\n");
    fake.toFile().setExecutable(true);
    Path out = tmp.resolve("b.tar");
    int port = 40_000 + new Random().nextInt(20_000);
    CliRun run =
        teec(
            "build",
            project.toString(),
            "--mode",
            "nitro",
            "--eif",
            eif.toString(),
            "--nitro-cli",
            fake.toString(),
            "--egress-port",
            Integer.toString(port),
            "--out",
            out.toString(),
            "--memory",
            "1024");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err())
        .contains("nitro-cli run-enclave failed (exit 1)")
        .contains("E26")
        .contains("no bundle was written");
    assertThat(run.out()).contains("egress allowlist: none").contains("enclave image: " + eif);
    assertThat(Files.readAllLines(calls))
        .containsExactly(
            "describe-eif --eif-path " + eif,
            "run-enclave --eif-path " + eif + " --cpu-count 2 --memory 1024");
    assertThat(out).doesNotExist();
  }

  @Test
  void build_dirtyGitTree_refusedUnlessAllowed_thenRecorded_jsonSummary() throws Exception {
    Path project = project(C_BUILD_JSON, "hello.c", "int main(void) { return 0; }\n");
    git(project, "init", "-q");
    git(project, "add", ".");
    git(
        project,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-q",
        "-m",
        "one");
    Files.writeString(project.resolve("hello.c"), "int main(void) { return 1; }\n");
    Path out = tmp.resolve("b.tar");

    CliRun refused = teec(local(project, out));
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err())
        .contains("uncommitted changes")
        .contains("hello.c")
        .contains("--allow-dirty");
    assertThat(out).doesNotExist();

    CliRun allowed = teec(local(project, out, "--allow-dirty", "--json"));
    assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
    JsonNode j = allowed.singleJson();
    assertThat(j.get("status").asText()).isEqualTo("ok");
    assertThat(j.get("failure").isNull()).isTrue();
    assertThat(j.get("mode").asText()).isEqualTo("local");
    assertThat(j.get("simulated").asBoolean()).isTrue();
    assertThat(j.get("bundle").asText()).isEqualTo(out.toString());
    assertThat(j.get("subjects").has("hello")).isTrue();
    assertThat(j.get("nonce").asText()).hasSize(64);
    JsonNode source = j.get("source");
    assertThat(source.get("dirty").asBoolean()).isTrue();
    assertThat(source.get("commit").asText()).matches("[0-9a-f]{40}");
    assertThat(source.get("tree").asText()).matches("[0-9a-f]{40}");
    // Progress goes to stderr so that stdout is only the JSON.
    assertThat(allowed.err()).contains("==> building").contains("  | compiling");
  }

  /**
   * Issue 10's attack: a modified hello.c hidden from {@code git status} with {@code
   * assume-unchanged}. teec build refuses it; built anyway with --allow-dirty, the bundle records a
   * dirty, unverified commit, which {@code --expect-source} rejects. The honest build of the commit
   * passes.
   */
  @Test
  void build_assumeUnchangedTrojan_isRefused_andNeverPassesExpectSource() throws Exception {
    Path project = project(C_BUILD_JSON, "hello.c", "int main(void) { return 0; }\n");
    git(project, "init", "-q");
    git(project, "remote", "add", "origin", "https://github.com/victim/hello.git");
    git(project, "add", ".");
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "1");
    String commit = gitOutput(project, "rev-parse", "HEAD");
    String expect = "git+https://github.com/victim/hello.git@" + commit;
    Path honest = tmp.resolve("honest.tar");
    CliRun honestBuild = teec(local(project, honest));
    assertThat(honestBuild.exitCode()).as(honestBuild.toString()).isZero();
    CliRun honestVerify =
        teec("verify", "bundle", "--simulated", "--expect-source", expect, honest.toString());
    assertThat(honestVerify.exitCode()).as(honestVerify.toString()).isZero();
    assertThat(honestVerify.out()).contains("VERIFIED").contains("(commit verified by the worker)");

    Files.writeString(project.resolve("hello.c"), "int main(void) { return 66; } /* trojan */\n");
    git(project, "update-index", "--assume-unchanged", "hello.c");
    assertThat(gitOutput(project, "status", "--porcelain")).isEmpty();
    Path trojan = tmp.resolve("trojan.tar");

    CliRun refused = teec(local(project, trojan));
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err())
        .contains("uncommitted changes to tracked files (hello.c)")
        .contains("assume-unchanged");
    assertThat(trojan).doesNotExist();

    CliRun dirty = teec(local(project, trojan, "--allow-dirty"));
    assertThat(dirty.exitCode()).as(dirty.toString()).isZero();
    CliRun verify =
        teec(
            "verify",
            "bundle",
            "--simulated",
            "--json",
            "--expect-source",
            expect,
            trojan.toString());
    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
    assertThat(verify.out())
        .contains("bundle.expect.source")
        .contains("uncommitted changes")
        .contains("unverified claim");
  }

  @Test
  void build_gitProjectWithUncommittedBuildJson_usageError() throws Exception {
    Path project = project(C_BUILD_JSON, "hello.c", "int main(void) { return 0; }\n");
    git(project, "init", "-q");
    git(project, "add", "hello.c");
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "1");
    Path out = tmp.resolve("b.tar");

    CliRun run = teec(local(project, out));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("build.json is not committed");
    assertThat(out).doesNotExist();
  }

  /** Ctrl-C on a real {@code teec build} process: no bundle, no worker, no build process left. */
  @Test
  void build_interruptedWithSigint_leavesNoBundleAndNoProcess() throws Exception {
    String marker = "43.2117";
    Path project =
        project(
            "{\"language\":\"c\",\"input\":{\"cmd\":\"echo started; sleep "
                + marker
                + "\"},"
                + "\"output\":{\"files\":[\"x\"]}}");
    Path out = tmp.resolve("out/b.tar");
    Files.createDirectories(out.getParent());
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.teec.cli.Teec"));
    command.addAll(List.of(local(project, out)));
    // Its own temporary directory, to check that nothing is left in it.
    Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));
    command.add(1, "-Djava.io.tmpdir=" + childTmp);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TEEC_HOME", tmp.resolve("home").toString());
    Process teec = pb.start();
    List<String> output = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(teec.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        output.add(line);
        if (line.contains("| started")) {
          break;
        }
      }
      assertThat(waitFor(() -> processes("sleep " + marker) > 0))
          .as("the build runs: " + output)
          .isTrue();
      new ProcessBuilder("kill", "-INT", Long.toString(teec.pid())).start().waitFor();
      assertThat(teec.waitFor(60, TimeUnit.SECONDS)).as("teec exits after SIGINT").isTrue();
    } finally {
      teec.destroyForcibly();
    }
    assertThat(waitFor(() -> processes("sleep " + marker) == 0))
        .as("the build's process is gone")
        .isTrue();
    assertThat(waitFor(() -> processes(tmp.resolve("home").toString()) == 0))
        .as("the worker is gone")
        .isTrue();
    try (Stream<Path> left = Files.list(out.getParent())) {
      assertThat(left).as("no bundle, no partial bundle").isEmpty();
    }
    try (Stream<Path> left = Files.list(childTmp)) {
      assertThat(left).as("no temporary files").isEmpty();
    }
  }

  private static long processes(String fragment) {
    return ProcessHandle.allProcesses()
        .filter(
            p -> p.isAlive() && p.info().commandLine().map(c -> c.contains(fragment)).orElse(false))
        .count();
  }

  private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static String gitOutput(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("git " + String.join(" ", args)).isZero();
    return output.strip();
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("git " + String.join(" ", args) + ": " + output).isZero();
  }
}
