package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.VsockTransport;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.report.ProvenanceReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code teec build} in local mode, with a real worker process. */
class BuildCommandTest {
  private static final String C_BUILD_JSON =
      "{\"language\":\"c\",\"input\":{\"cmd\":\"echo compiling; gcc -o hello hello.c\"},"
          + "\"output\":{\"files\":[\"hello\"]}}";

  @TempDir Path tmp;

  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void environment() {
    env.put("TEEC_HOME", tmp.resolve("home").toString());
    env.put("PATH", "/usr/bin:/bin");
  }

  private Map<String, String> env() {
    return Map.copyOf(env);
  }

  private CliRun teec(String... args) {
    return CliRun.run(clock -> Teec.newCommandLine(clock, env()), Clock.systemUTC(), args);
  }

  /**
   * A user's rustup installation in a HOME of its own: {@code cargo} and {@code rustc} linked to a
   * {@code rustup} that, like the real one, finds no toolchain unless RUSTUP_HOME (or HOME) leads
   * to its settings; its toolchain's cargo builds {@code target/release/hello}.
   */
  private Path userWithRustup() throws IOException {
    Path user = tmp.resolve("user");
    Path bin = Files.createDirectories(user.resolve(".cargo/bin"));
    Path rustup = bin.resolve("rustup");
    Files.writeString(
        rustup,
        String.join(
            "\n",
            "#!/bin/sh",
            "home=${RUSTUP_HOME:-$HOME/.rustup}",
            "name=$(basename \"$0\")",
            "[ -f \"$home/settings.toml\" ] || {",
            "  echo \"error: rustup could not choose a version of $name to run\" >&2; exit 1; }",
            "[ $name = rustup ] && { echo \"$home/toolchains/stable/bin/$2\"; exit 0; }",
            "exec \"$home/toolchains/stable/bin/$name\" \"$@\"",
            ""));
    Path toolchain = Files.createDirectories(user.resolve(".rustup/toolchains/stable/bin"));
    Files.writeString(user.resolve(".rustup/settings.toml"), "default_toolchain = \"stable\"\n");
    Files.writeString(
        toolchain.resolve("cargo"),
        "#!/bin/sh\n[ \"$1\" = --version ] && { echo 'cargo 1.0.0 (fake)'; exit 0; }\n"
            + "mkdir -p target/release && echo built > target/release/hello\n");
    Files.writeString(toolchain.resolve("rustc"), "#!/bin/sh\necho 'rustc 1.0.0 (fake)'\n");
    for (Path p : List.of(rustup, toolchain.resolve("cargo"), toolchain.resolve("rustc"))) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.createSymbolicLink(bin.resolve("cargo"), Path.of("rustup"));
    Files.createSymbolicLink(bin.resolve("rustc"), Path.of("rustup"));
    env.put("HOME", user.toString());
    env.put("PATH", bin + ":/usr/bin:/bin");
    return user;
  }

  private static final String RUST_BUILD_JSON =
      "{\"language\":\"rust\",\"input\":{\"cmd\":\"cargo build --release\"},"
          + "\"output\":{\"files\":[\"target/release/hello\"]}}";

  @Test
  void build_local_rustupInstalledRust_buildsWithTheUsersToolchain_andRecordsIt() throws Exception {
    Path user = userWithRustup();
    Path project = project(RUST_BUILD_JSON, "Cargo.toml", "[package]\nname = \"hello\"\n");
    Path out = tmp.resolve("out/b.tar");
    CliRun run = teec(local(project, out));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains(
            "teec: toolchain: PATH="
                + user.resolve(".cargo/bin")
                + ":/usr/bin:/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin, RUSTUP_HOME="
                + user.resolve(".rustup"));
    ProvenanceReport report =
        new BundleReader(BundleLimits.defaults())
            .read(out, Files.createDirectories(tmp.resolve("x")))
            .checkConsistency();
    assertThat(report.internalParameters().environment())
        .containsEntry("RUSTUP_HOME", user.resolve(".rustup").toString())
        .doesNotContainKey("CARGO_HOME");
    assertThat(report.internalParameters().tools().orElseThrow())
        .extracting(t -> t.name() + " " + t.resolvedPath() + " " + t.version())
        .containsExactly(
            "cargo " + user.resolve(".rustup/toolchains/stable/bin/cargo") + " cargo 1.0.0 (fake)",
            "rustc " + user.resolve(".rustup/toolchains/stable/bin/rustc") + " rustc 1.0.0 (fake)");
  }

  @Test
  void build_local_commandNotFound_namesItAndThePath_nextStepIsLocalPath() throws Exception {
    Path project = project(RUST_BUILD_JSON);
    CliRun run = teec(local(project, tmp.resolve("out/b.tar")));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    String path = "/usr/bin:/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin";
    assertThat(run.out())
        .contains("WARNING: cargo, rustc are not in your PATH; a rust build usually needs them");
    assertThat(run.err())
        .contains("command not found: cargo (looked up in PATH=" + path + ")")
        .endsWith(
            "Next: install the missing command, or give the build a PATH that has it:"
                + " --local-path DIR:"
                + path
                + System.lineSeparator());
  }

  @Test
  void build_local_languageJava_isAMavenBuild() throws Exception {
    Path project =
        project(
            "{\"language\":\"java\",\"input\":{\"cmd\":\"echo built > app.jar\"},"
                + "\"output\":{\"files\":[\"app.jar\"]}}");
    Path out = tmp.resolve("out/b.tar");
    CliRun run = teec(local(project, out));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    ProvenanceReport report =
        new BundleReader(BundleLimits.defaults())
            .read(out, Files.createDirectories(tmp.resolve("x")))
            .checkConsistency();
    // The report keeps the document as sent; what was built is a Maven build.
    assertThat(report.buildJson().get("language").asText()).isEqualTo("java");
    assertThat(report.internalParameters().tools().orElseThrow())
        .extracting(t -> t.name())
        .isSubsetOf("java", "mvn");
  }

  @Test
  void build_languageNearMiss_usageErrorSaysDidYouMean() throws Exception {
    Path project =
        project(
            "{\"language\":\"golang\",\"input\":{\"cmd\":\"go build\"},"
                + "\"output\":{\"files\":[\"app\"]}}");
    CliRun run = teec(local(project, tmp.resolve("b.tar")));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err())
        .contains("$.language: unknown language \"golang\"; did you mean \"go\"?")
        .endsWith(
            "Next: fix $.language in build.json (its format: spec/formats/build-json.md)"
                + System.lineSeparator());
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
        .contains("teec verify bundle --simulated --any-image " + out);
    CliRun verify = teec("verify", "bundle", "--simulated", "--any-image", out.toString());
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
  void build_emulatedWithoutEmulatorSetup_usageErrorSayingToSetItUp() throws Exception {
    Path project = project(C_BUILD_JSON, "hello.c", "int main(void) { return 0; }\n");
    Path eif = Files.write(tmp.resolve("image.eif"), new byte[] {1});
    CliRun run =
        teec(
            "build",
            project.toString(),
            "--mode",
            "emulated",
            "--eif",
            eif.toString(),
            "--out",
            tmp.resolve("b.tar").toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err())
        .contains("the emulator is not set up")
        .contains("run 'teec emulator setup' first");
    assertThat(tmp.resolve("b.tar")).doesNotExist();
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
    // The worker started while the source was being selected; the refusal stopped it.
    assertThat(processes(tmp.resolve("home").toString())).as("no worker left").isZero();

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
        teec(
            "verify",
            "bundle",
            "--simulated",
            "--any-image",
            "--expect-source",
            expect,
            honest.toString());
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
            "--any-image",
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
    // Its own temporary directory, to check that nothing is left in it.
    Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));
    ProcessBuilder pb = teecProcess(childTmp, local(project, out));
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

  /**
   * Ctrl-C on a real {@code teec build} process while its worker starts, before the client has it
   * (the source of 64 MiB is still being packed, or the client waits for the worker): nothing left.
   */
  @Test
  void build_interruptedWhileTheWorkerStarts_leavesNoWorkerAndNoFiles() throws Exception {
    // The build itself sleeps: on a fast machine the 64 MiB were packed, built and bundled before
    // the SIGINT landed, and the test failed on a complete bundle. Now a late SIGINT still lands
    // during the build, and nothing may be left either way.
    Path project =
        project(
            "{\"language\":\"c\",\"input\":{\"cmd\":\"sleep 37.9301\"},"
                + "\"output\":{\"files\":[\"x\"]}}");
    byte[] noise = new byte[64 << 20];
    new java.util.Random(1).nextBytes(noise);
    Files.write(project.resolve("noise.bin"), noise);
    Path out = tmp.resolve("out/b.tar");
    Files.createDirectories(out.getParent());
    ProcessBuilder pb =
        teecProcess(Files.createDirectories(tmp.resolve("child-tmp")), local(project, out));
    pb.redirectOutput(tmp.resolve("teec.out").toFile());
    pb.environment().put("TEEC_HOME", tmp.resolve("home").toString());
    Process teec = pb.start();
    try {
      assertThat(waitFor(() -> processes(tmp.resolve("home").toString()) > 0))
          .as("the worker starts")
          .isTrue();
      new ProcessBuilder("kill", "-INT", Long.toString(teec.pid())).start().waitFor();
      assertThat(teec.waitFor(60, TimeUnit.SECONDS)).as("teec exits after SIGINT").isTrue();
    } finally {
      teec.destroyForcibly();
    }
    assertThat(waitFor(() -> processes(tmp.resolve("home").toString()) == 0))
        .as("the worker is gone: " + Files.readString(tmp.resolve("teec.out")))
        .isTrue();
    assertThat(waitFor(() -> processes("sleep 37.9301") == 0))
        .as("the build's process is gone")
        .isTrue();
    try (Stream<Path> left = Files.list(out.getParent())) {
      assertThat(left).as("no bundle, no partial bundle").isEmpty();
    }
    try (Stream<Path> left = Files.list(tmp.resolve("child-tmp"))) {
      assertThat(left).as("no temporary files").isEmpty();
    }
  }

  /** {@code teec ARGS} in a JVM of its own with {@code childTmp} as java.io.tmpdir. */
  private static ProcessBuilder teecProcess(Path childTmp, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + childTmp,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.teec.cli.Teec"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
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
