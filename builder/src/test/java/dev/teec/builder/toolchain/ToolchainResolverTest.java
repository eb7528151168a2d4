package dev.teec.builder.toolchain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.builder.toolchain.ToolchainResolver.LocalToolchain;
import dev.teec.formats.buildspec.Language;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolchain a local build gets, chosen from a user's environment: home-made installations in a
 * temporary HOME (rustup with its proxies, a Go SDK, asdf shims, a JDK) stand in for the user's.
 */
class ToolchainResolverTest {
  private static final String SYSTEM =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  @TempDir Path home;
  private Path project;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws IOException {
    project = Files.createDirectories(home.resolve("work/project"));
    env.put("HOME", home.toString());
  }

  private LocalToolchain resolve(Language language) throws InterruptedException {
    return new ToolchainResolver(env).resolve(language, project, Optional.empty());
  }

  private static Path executable(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /**
   * rustup as it installs itself: proxies linked to rustup in ~/.cargo/bin, toolchains in
   * ~/.rustup.
   */
  private Path rustup() throws IOException {
    Path bin = home.resolve(".cargo/bin");
    executable(bin.resolve("rustup"), "#!/bin/sh\nexit 1\n");
    Files.createSymbolicLink(bin.resolve("cargo"), Path.of("rustup"));
    Files.createSymbolicLink(bin.resolve("rustc"), Path.of("rustup"));
    Files.createDirectories(home.resolve(".rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin"));
    Files.writeString(home.resolve(".rustup/settings.toml"), "default_toolchain = \"stable\"\n");
    return bin;
  }

  @Test
  void rustup_proxiesOnThePath_getRustupHome_andOnlyTheirDirectoryJoinsTheSystemPath()
      throws Exception {
    Path bin = rustup();
    env.put("PATH", bin + ":" + home.resolve(".pyenv/shims") + ":.:/usr/bin:/bin:/opt/other/bin");
    env.put("CARGO_HOME", home.resolve(".cargo").toString());
    LocalToolchain toolchain = resolve(Language.RUST);
    assertThat(toolchain.path())
        .isEqualTo(bin + ":/usr/bin:/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin");
    assertThat(toolchain.environment())
        .containsExactly(Map.entry("RUSTUP_HOME", home.resolve(".rustup").toString()));
    assertThat(toolchain.missing()).isEmpty();
  }

  @Test
  void rustup_usersRustupHomeAndToolchain_areTaken() throws Exception {
    Path bin = rustup();
    Path elsewhere = Files.createDirectories(home.resolve("opt/rustup"));
    env.put("PATH", bin + ":" + SYSTEM);
    env.put("RUSTUP_HOME", elsewhere.toString());
    env.put("RUSTUP_TOOLCHAIN", "1.79.0");
    assertThat(resolve(Language.RUST).environment())
        .containsExactly(
            Map.entry("RUSTUP_HOME", elsewhere.toString()),
            Map.entry("RUSTUP_TOOLCHAIN", "1.79.0"));
  }

  @Test
  void rustup_homeMissing_isSaid_andNotPassed() throws Exception {
    Path bin = rustup();
    env.put("PATH", bin + ":" + SYSTEM);
    env.put("RUSTUP_HOME", home.resolve("nowhere").toString());
    LocalToolchain toolchain = resolve(Language.RUST);
    assertThat(toolchain.environment()).isEmpty();
    assertThat(toolchain.notes())
        .anySatisfy(n -> assertThat(n).contains(home.resolve("nowhere") + " is not a directory"));
  }

  @Test
  void cargoFromADistribution_needsNoVariables() throws Exception {
    Path bin = home.resolve("distro/bin");
    executable(bin.resolve("cargo"), "#!/bin/sh\n");
    executable(bin.resolve("rustc"), "#!/bin/sh\n");
    env.put("PATH", bin + ":" + SYSTEM);
    LocalToolchain toolchain = resolve(Language.RUST);
    assertThat(toolchain.path()).isEqualTo(bin + ":" + SYSTEM);
    assertThat(toolchain.environment()).isEmpty();
  }

  @Test
  void missingCommands_areListed_andThePathIsTheSystemOne() throws Exception {
    env.put("PATH", home.resolve("empty").toString());
    LocalToolchain toolchain = resolve(Language.GO);
    assertThat(toolchain.missing()).containsExactly("go");
    assertThat(toolchain.path()).isEqualTo(SYSTEM);
  }

  @Test
  void go_getsTheUsersGoroot_butNeverItsCachesOrFlags() throws Exception {
    Path sdk = home.resolve("sdk/go1.22.4");
    executable(sdk.resolve("bin/go"), "#!/bin/sh\n");
    env.put("PATH", sdk.resolve("bin") + ":" + SYSTEM);
    env.put("GOROOT", sdk.toString());
    env.put("GOPATH", home.resolve("go").toString());
    env.put("GOMODCACHE", home.resolve("go/pkg/mod").toString());
    env.put("GOFLAGS", "-mod=mod");
    LocalToolchain toolchain = resolve(Language.GO);
    assertThat(toolchain.path()).startsWith(sdk.resolve("bin") + ":");
    assertThat(toolchain.environment()).containsExactly(Map.entry("GOROOT", sdk.toString()));
  }

  @Test
  void maven_getsJavaHome_onlyForAJvmLanguage() throws Exception {
    Path jdk = Files.createDirectories(home.resolve(".sdkman/candidates/java/21.0.2-tem"));
    Path mvn = home.resolve(".sdkman/candidates/maven/current/bin");
    executable(mvn.resolve("mvn"), "#!/bin/sh\n");
    executable(jdk.resolve("bin/java"), "#!/bin/sh\n");
    env.put("PATH", mvn + ":" + jdk.resolve("bin") + ":" + SYSTEM);
    env.put("JAVA_HOME", jdk.toString());
    env.put("MAVEN_OPTS", "-Dmaven.repo.local=" + home.resolve(".m2/repository"));
    LocalToolchain toolchain = resolve(Language.MAVEN);
    assertThat(toolchain.path()).isEqualTo(mvn + ":" + jdk.resolve("bin") + ":" + SYSTEM);
    assertThat(toolchain.environment()).containsExactly(Map.entry("JAVA_HOME", jdk.toString()));
    assertThat(resolve(Language.C).environment()).isEmpty();
  }

  @Test
  void asdfShim_isReplacedByTheFileAsdfRunsForTheProject() throws Exception {
    Path shims = home.resolve(".asdf/shims");
    executable(shims.resolve("go"), "#!/bin/sh\nexec asdf exec go \"$@\"\n");
    Path real = executable(home.resolve(".asdf/installs/golang/1.22.0/go/bin/go"), "#!/bin/sh\n");
    // asdf answers for the directory it is asked in, as it reads .tool-versions there.
    executable(
        home.resolve(".asdf/bin/asdf"),
        "#!/bin/sh\n[ \"$1 $2\" = \"which go\" ] && [ \"$PWD\" = \""
            + project
            + "\" ] && echo "
            + real
            + "\n");
    env.put("PATH", shims + ":" + home.resolve(".asdf/bin") + ":" + SYSTEM);
    LocalToolchain toolchain = resolve(Language.GO);
    assertThat(toolchain.path()).isEqualTo(real.getParent() + ":" + SYSTEM);
    assertThat(toolchain.notes())
        .anySatisfy(
            n -> assertThat(n).contains("the shim " + shims.resolve("go") + " runs " + real));
  }

  @Test
  void miseShim_isReplacedByTheFileMiseRunsForTheProject() throws Exception {
    Path shims = home.resolve(".local/share/mise/shims");
    executable(shims.resolve("mvn"), "#!/bin/sh\nexec mise x -- mvn \"$@\"\n");
    Path real =
        executable(home.resolve(".local/share/mise/installs/maven/3.9.9/bin/mvn"), "#!/bin/sh\n");
    executable(
        home.resolve(".local/bin/mise"),
        "#!/bin/sh\n[ \"$1 $2\" = \"which mvn\" ] && [ \"$PWD\" = \""
            + project
            + "\" ] && echo "
            + real
            + "\n");
    env.put("PATH", shims + ":" + home.resolve(".local/bin") + ":" + SYSTEM);
    LocalToolchain toolchain = resolve(Language.MAVEN);
    assertThat(toolchain.path()).startsWith(real.getParent() + ":");
    assertThat(toolchain.notes())
        .anySatisfy(
            n -> assertThat(n).contains("the shim " + shims.resolve("mvn") + " runs " + real));
  }

  @Test
  void shimWithoutAManager_isKept_withAWarning() throws Exception {
    Path shims = home.resolve(".asdf/shims");
    executable(shims.resolve("go"), "#!/bin/sh\n");
    env.put("PATH", shims + ":" + SYSTEM);
    LocalToolchain toolchain = resolve(Language.GO);
    assertThat(toolchain.path()).isEqualTo(shims + ":" + SYSTEM);
    assertThat(toolchain.notes()).anySatisfy(n -> assertThat(n).contains("version manager's shim"));
  }

  @Test
  void explicitPath_isThePathVerbatim_andStillGetsTheVariables() throws Exception {
    Path bin = rustup();
    env.put("PATH", "/usr/bin:/bin");
    String explicit = bin + ":/opt/tools/bin:/usr/bin:/bin";
    LocalToolchain toolchain =
        new ToolchainResolver(env).resolve(Language.RUST, project, Optional.of(explicit));
    assertThat(toolchain.path()).isEqualTo(explicit);
    assertThat(toolchain.environment()).containsKey("RUSTUP_HOME");
  }

  @Test
  void noUserPath_looksInTheSystemDirectories() throws Exception {
    env.remove("PATH");
    assertThat(resolve(Language.C).path()).isEqualTo(SYSTEM);
  }
}
