package dev.teec.enclave.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A rustup installation laid out as rustup lays it out, with shell scripts for binaries: {@code
 * <cargoHome>/bin/rustup} and its proxies {@code cargo} and {@code rustc} (symbolic links to it),
 * and toolchains under {@code <rustupHome>/toolchains/<name>/bin}, the default one named in {@code
 * <rustupHome>/settings.toml}. Like the real proxy, it picks the toolchain from {@code +name},
 * {@code RUSTUP_TOOLCHAIN} or the default, and finds nothing without {@code RUSTUP_HOME} when HOME
 * is not the user's. The fake cargo's {@code build} writes {@code target/release/hello} naming its
 * version.
 */
final class FakeRustup {
  static final String STABLE = "1.79.0-x86_64-unknown-linux-gnu";
  static final String NIGHTLY = "nightly-x86_64-unknown-linux-gnu";

  final Path cargoBin;
  final Path rustupHome;

  private FakeRustup(Path cargoBin, Path rustupHome) {
    this.cargoBin = cargoBin;
    this.rustupHome = rustupHome;
  }

  static FakeRustup install(Path userHome) throws IOException {
    Path cargoBin = Files.createDirectories(userHome.resolve(".cargo/bin"));
    Path rustupHome = Files.createDirectories(userHome.resolve(".rustup"));
    Files.writeString(
        rustupHome.resolve("settings.toml"),
        "version = \"12\"\ndefault_toolchain = \"" + STABLE + "\"\nprofile = \"default\"\n");
    script(
        cargoBin.resolve("rustup"),
        """
        #!/bin/sh
        home=${RUSTUP_HOME:-$HOME/.rustup}
        name=$(basename "$0")
        choose() {
          if [ -n "$RUSTUP_TOOLCHAIN" ]; then echo "$RUSTUP_TOOLCHAIN"; return; fi
          sed -n 's/^default_toolchain = "\\(.*\\)"$/\\1/p' "$home/settings.toml" 2>/dev/null
        }
        if [ "$name" = rustup ]; then
          [ "$1" = which ] || { echo "fake rustup: only 'which'" >&2; exit 1; }
          tc=$(choose)
          [ -n "$tc" ] || { echo "error: no default toolchain" >&2; exit 1; }
          echo "$home/toolchains/$tc/bin/$2"
          exit 0
        fi
        case "$1" in +*) RUSTUP_TOOLCHAIN=${1#+}; shift ;; esac
        tc=$(choose)
        if [ -z "$tc" ]; then
          echo "error: rustup could not choose a version of $name to run, because one wasn't specified explicitly, and no default is configured." >&2
          exit 1
        fi
        RUSTUP_TOOLCHAIN=$tc RUSTUP_HOME=$home exec "$home/toolchains/$tc/bin/$name" "$@"
        """);
    for (String proxy : new String[] {"cargo", "rustc"}) {
      Files.createSymbolicLink(cargoBin.resolve(proxy), Path.of("rustup"));
    }
    toolchain(rustupHome, STABLE, "1.79.0");
    toolchain(rustupHome, NIGHTLY, "1.81.0-nightly");
    return new FakeRustup(cargoBin, rustupHome);
  }

  private static void toolchain(Path rustupHome, String name, String version) throws IOException {
    Path bin = Files.createDirectories(rustupHome.resolve("toolchains/" + name + "/bin"));
    script(
        bin.resolve("cargo"),
        """
        #!/bin/sh
        case "$1" in
          --version) echo "cargo VERSION (fake)" ;;
          build) mkdir -p target/release && echo "built by cargo VERSION" > target/release/hello ;;
          *) echo "fake cargo: $1?" >&2; exit 1 ;;
        esac
        """
            .replace("VERSION", version));
    script(bin.resolve("rustc"), "#!/bin/sh\necho \"rustc " + version + " (fake)\"\n");
  }

  private static void script(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
