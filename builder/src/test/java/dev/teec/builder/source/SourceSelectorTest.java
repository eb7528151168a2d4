package dev.teec.builder.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSelectorTest {
  @TempDir Path tmp;

  private final SourceSelector selector = new SourceSelector();

  static String git(Path dir, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "git",
                "-C",
                dir.toString(),
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.org",
                "-c",
                "commit.gpgsign=false"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("git " + String.join(" ", args) + ": " + out).isZero();
    return out.strip();
  }

  private Path repo() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    git(repo, "init", "-q");
    Files.writeString(repo.resolve("build.json"), "{}");
    Files.createDirectories(repo.resolve("app/src"));
    Files.writeString(repo.resolve("app/build.json"), "{}");
    Files.writeString(repo.resolve("app/src/main.c"), "int main(void){return 0;}\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "first");
    return repo;
  }

  @Test
  void select_gitTree_trackedFilesOnly_withCommitAndTree() throws Exception {
    Path repo = repo();
    Files.writeString(repo.resolve("untracked.txt"), "not sent");
    SelectedSource s = selector.select(repo, false, List.of());
    assertThat(s.files())
        .extracting(Path::toString)
        .containsExactlyInAnyOrder("build.json", "app/build.json", "app/src/main.c");
    GitState g = s.git().orElseThrow();
    assertThat(g.commit()).isEqualTo(git(repo, "rev-parse", "HEAD"));
    assertThat(g.tree()).isEqualTo(git(repo, "rev-parse", "HEAD^{tree}"));
    assertThat(g.dirty()).isFalse();
    assertThat(g.remoteUri()).isEmpty();
  }

  @Test
  void select_subdirectoryOfARepository_itsFilesAndItsSubtree() throws Exception {
    Path repo = repo();
    SelectedSource s = selector.select(repo.resolve("app"), false, List.of());
    assertThat(s.files())
        .extracting(Path::toString)
        .containsExactlyInAnyOrder("build.json", "src/main.c");
    assertThat(s.git().orElseThrow().tree()).isEqualTo(git(repo, "rev-parse", "HEAD:app"));
  }

  @Test
  void select_dirtyTree_refusedNamingTheFiles_unlessAllowed() throws Exception {
    Path repo = repo();
    Files.writeString(repo.resolve("app/src/main.c"), "int main(void){return 1;}\n");
    assertThatThrownBy(() -> selector.select(repo, false, List.of()))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("uncommitted changes")
        .hasMessageContaining("app/src/main.c")
        .hasMessageContaining("--allow-dirty");
    SelectedSource s = selector.select(repo, true, List.of());
    assertThat(s.git().orElseThrow().dirty()).isTrue();
    assertThat(s.git().orElseThrow().changedFiles()).containsExactly("app/src/main.c");
  }

  @Test
  void select_stagedChange_isDirtyToo() throws Exception {
    Path repo = repo();
    Files.writeString(repo.resolve("new.c"), "x");
    git(repo, "add", "new.c");
    assertThatThrownBy(() -> selector.select(repo, false, List.of())).hasMessageContaining("new.c");
  }

  @Test
  void select_trackedSymlink_refused() throws Exception {
    Path repo = repo();
    Files.createSymbolicLink(repo.resolve("link"), Path.of("build.json"));
    git(repo, "add", "link");
    git(repo, "commit", "-q", "-m", "link");
    assertThatThrownBy(() -> selector.select(repo, false, List.of()))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("link is a symbolic link");
  }

  @Test
  void select_repositoryWithoutCommits_saysSo() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("empty"));
    git(repo, "init", "-q");
    Files.writeString(repo.resolve("build.json"), "{}");
    assertThatThrownBy(() -> selector.select(repo, false, List.of()))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("without commits");
  }

  @Test
  void select_remoteWithToken_uriWithoutCredentials() throws Exception {
    Path repo = repo();
    git(
        repo,
        "remote",
        "add",
        "origin",
        "https://x-access-token:ghs_secret@github.com/owner/project.git");
    assertThat(selector.select(repo, false, List.of()).git().orElseThrow().remoteUri())
        .contains("git+https://github.com/owner/project.git");
  }

  @Test
  void sourceUri_forms() {
    assertThat(Git.sourceUri("git@github.com:owner/repo.git"))
        .contains("git+ssh://github.com/owner/repo.git");
    assertThat(Git.sourceUri("ssh://git@host:2222/r.git")).contains("git+ssh://host:2222/r.git");
    assertThat(Git.sourceUri("https://user:pw@example.org/r"))
        .contains("git+https://example.org/r");
    assertThat(Git.sourceUri("/srv/git/r.git")).isEmpty();
    assertThat(Git.sourceUri("file:///srv/git/r.git")).isEmpty();
  }

  @Test
  void select_plainDirectory_everythingButTheIgnoreListAndExclusions() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plain"));
    Files.writeString(dir.resolve("build.json"), "{}");
    Files.createDirectories(dir.resolve("target/classes"));
    Files.writeString(dir.resolve("target/classes/A.class"), "x");
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve(".git/HEAD"), "x");
    Files.createDirectories(dir.resolve("src"));
    Files.writeString(dir.resolve("src/a.c"), "x");
    Path out = Files.writeString(dir.resolve("teec-bundle.tar"), "old bundle");
    SelectedSource s = selector.select(dir, false, List.of(out));
    assertThat(s.git()).isEmpty();
    assertThat(s.files())
        .extracting(Path::toString)
        .containsExactlyInAnyOrder("build.json", "src/a.c");
  }

  @Test
  void select_plainDirectoryWithSymlink_refused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plain"));
    Files.writeString(dir.resolve("build.json"), "{}");
    Files.createSymbolicLink(dir.resolve("etc"), Path.of("build.json"));
    assertThatThrownBy(() -> selector.select(dir, false, List.of()))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("etc is a symbolic link");
  }

  @Test
  void select_missingDirectory_saysSo() {
    assertThatThrownBy(() -> selector.select(tmp.resolve("nope"), false, List.of()))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("no such directory");
  }

  @Test
  void pack_sameFilesTwice_sameDigest_executableBitKept() throws Exception {
    Path repo = repo();
    Files.setPosixFilePermissions(
        repo.resolve("app/src/main.c"), PosixFilePermissions.fromString("rwxr-xr-x"));
    PackedSource a = SourcePacker.pack(selector.select(repo.resolve("app"), true, List.of()), tmp);
    Path copy = Files.createDirectories(tmp.resolve("copy/src"));
    Files.copy(repo.resolve("app/build.json"), copy.getParent().resolve("build.json"));
    Files.copy(repo.resolve("app/src/main.c"), copy.resolve("main.c"));
    Files.setPosixFilePermissions(
        copy.resolve("main.c"), PosixFilePermissions.fromString("rwxr--r--"));
    PackedSource b = SourcePacker.pack(selector.select(copy.getParent(), false, List.of()), tmp);
    assertThat(a.sha256()).isEqualTo(b.sha256());
    assertThat(a.size()).isEqualTo(Files.size(a.archive()));
    assertThat(a.files()).isEqualTo(2);
  }
}
