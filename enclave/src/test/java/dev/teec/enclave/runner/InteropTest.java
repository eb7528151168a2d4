package dev.teec.enclave.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source archive against the tools users have: git archive and GNU tar. */
class InteropTest {
  @TempDir Path tmp;

  private static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private static boolean have(String tool) {
    return Files.isExecutable(Path.of("/usr/bin", tool));
  }

  private Path tree() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("lib"));
    Files.writeString(src.resolve("main.c"), "int main(void){return 0;}\n");
    Files.writeString(src.resolve("lib/util.c"), "int util(void){return 1;}\n");
    return src;
  }

  @Test
  void extract_gitArchiveOutput_isAccepted() throws Exception {
    assumeThat(have("git")).isTrue();
    Path src = tree();
    run(src, "git", "init", "-q");
    run(src, "git", "add", ".");
    run(src, "git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x");
    Path tar = tmp.resolve("git.tar");
    run(src, "git", "archive", "--format=tar", "-o", tar.toString(), "HEAD");
    Path dest = tmp.resolve("dest");
    try (InputStream in = Files.newInputStream(tar)) {
      SourceArchive.Extracted e = SourceArchive.extract(in, dest, ArchiveLimits.defaults());
      assertThat(e.files()).isEqualTo(2);
      assertThat(e.archiveBytes()).isEqualTo(Files.size(tar));
    }
    assertThat(dest.resolve("lib/util.c")).hasSameTextualContentAs(src.resolve("lib/util.c"));
  }

  @Test
  void extract_gnuTarOutput_isAccepted() throws Exception {
    assumeThat(have("tar")).isTrue();
    Path src = tree();
    Path tar = tmp.resolve("gnu.tar");
    run(
        src,
        "tar",
        "--sort=name",
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "-cf",
        tar.toString(),
        ".");
    Path dest = tmp.resolve("dest");
    try (InputStream in = Files.newInputStream(tar)) {
      SourceArchive.extract(in, dest, ArchiveLimits.defaults());
    }
    assertThat(dest.resolve("main.c")).hasSameTextualContentAs(src.resolve("main.c"));
  }

  @Test
  void write_outputIsReadByGnuTar() throws Exception {
    assumeThat(have("tar")).isTrue();
    Path src = tree();
    Files.createDirectories(src.resolve("x".repeat(90)));
    Files.writeString(src.resolve("x".repeat(90)).resolve("y".repeat(90) + ".txt"), "long\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SourceArchive.write(src, SourceArchive.listFiles(src), out);
    Path tar = tmp.resolve("ours.tar");
    Files.write(tar, out.toByteArray());
    Path dest = tmp.resolve("gnu-dest");
    Files.createDirectories(dest);
    run(dest, "tar", "-xf", tar.toString());
    for (Path f :
        List.of(
            Path.of("main.c"),
            Path.of("lib/util.c"),
            Path.of("x".repeat(90), "y".repeat(90) + ".txt"))) {
      assertThat(dest.resolve(f)).hasSameTextualContentAs(src.resolve(f));
    }
  }
}
