package dev.teec.builder.source;

import static dev.teec.builder.source.SourceSelectorTest.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.git.ReceivedTree;
import dev.teec.enclave.git.SourceClaim;
import dev.teec.enclave.runner.ArchiveLimits;
import dev.teec.enclave.runner.SourceArchive;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the client claims about a git source, and the dirty check that must see through git's index
 * marks: the archive it packs for a clean tree passes the enclave's own verification.
 */
class GitClaimSelectionTest {
  @TempDir Path tmp;

  private final SourceSelector selector = new SourceSelector();

  private Path repo() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("hello"));
    git(repo, "init", "-q");
    Files.writeString(repo.resolve("build.json"), "{}");
    Files.writeString(repo.resolve("hello.c"), "int main(void) { return 0; }\n");
    Files.createDirectories(repo.resolve("app/src"));
    Files.writeString(repo.resolve("app/build.json"), "{}");
    Files.writeString(repo.resolve("app/src/main.c"), "int main(void){return 0;}\n");
    Files.writeString(repo.resolve("app/run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        repo.resolve("app/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "first");
    return repo;
  }

  /** The enclave's three checks, on what the client selected and packed. */
  private void verifyAsTheEnclaveDoes(PackedSource packed) throws Exception {
    GitState g = packed.selection().git().orElseThrow();
    CommitObjects objects = g.objects().orElseThrow();
    ReceivedTree received = new ReceivedTree();
    try (InputStream in = Files.newInputStream(packed.archive())) {
      SourceArchive.extract(
          in, Files.createTempDirectory(tmp, "x"), ArchiveLimits.defaults(), received);
    }
    new SourceClaim(
            g.commit(), objects.commitObject(), g.path(), g.tree(), g.commitTime().getEpochSecond())
        .verifyCommit()
        .verifyTrees(objects.treeObjects())
        .verifyArchive(received);
  }

  @Test
  void select_cleanTree_claimPassesTheEnclavesChecks_atTheTopAndInASubdirectory() throws Exception {
    Path repo = repo();
    PackedSource top = SourcePacker.pack(selector.select(repo, false, List.of()), tmp);
    verifyAsTheEnclaveDoes(top);
    PackedSource app =
        SourcePacker.pack(selector.select(repo.resolve("app"), false, List.of()), tmp);
    verifyAsTheEnclaveDoes(app);
    GitState g = app.selection().git().orElseThrow();
    assertThat(g.path()).isEqualTo("app");
    assertThat(g.tree()).isEqualTo(git(repo, "rev-parse", "HEAD:app"));
    assertThat(g.objects().orElseThrow().treeObjects()).hasSize(3); // root, app, app/src
  }

  /** The attack of issue 10: a modified file git status does not show. */
  @Test
  void select_modifiedFileMarkedAssumeUnchanged_isDirty() throws Exception {
    Path repo = repo();
    Files.writeString(repo.resolve("hello.c"), "int main(void) { return 66; } /* trojan */\n");
    git(repo, "update-index", "--assume-unchanged", "hello.c");
    assertThat(git(repo, "status", "--porcelain")).as("git status sees nothing").isEmpty();

    assertThatThrownBy(() -> selector.select(repo, false, List.of()))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("uncommitted changes to tracked files (hello.c)")
        .hasMessageContaining("git status does not show hello.c")
        .hasMessageContaining("assume-unchanged");
    GitState dirty = selector.select(repo, true, List.of()).git().orElseThrow();
    assertThat(dirty.dirty()).isTrue();
    assertThat(dirty.changedFiles()).containsExactly("hello.c");
    assertThat(dirty.objects()).as("no commit evidence for a dirty tree").isEmpty();
  }

  @Test
  void select_modifiedFileMarkedSkipWorktree_isDirty() throws Exception {
    Path repo = repo();
    Files.writeString(repo.resolve("app/src/main.c"), "int main(void){return 1;}\n");
    git(repo, "update-index", "--skip-worktree", "app/src/main.c");
    assertThat(git(repo, "status", "--porcelain")).isEmpty();

    assertThatThrownBy(() -> selector.select(repo.resolve("app"), false, List.of()))
        .hasMessageContaining("(src/main.c)");
  }

  @Test
  void select_executableBitDroppedUnderAssumeUnchanged_isDirty() throws Exception {
    Path repo = repo();
    Files.setPosixFilePermissions(
        repo.resolve("app/run.sh"), PosixFilePermissions.fromString("rw-r--r--"));
    git(repo, "update-index", "--assume-unchanged", "app/run.sh");

    assertThatThrownBy(() -> selector.select(repo, false, List.of()))
        .hasMessageContaining("(app/run.sh)");
  }

  @Test
  void select_deletedFileUnderSkipWorktree_isDirty() throws Exception {
    Path repo = repo();
    git(repo, "update-index", "--skip-worktree", "hello.c");
    Files.delete(repo.resolve("hello.c"));

    assertThatThrownBy(() -> selector.select(repo, false, List.of()))
        .hasMessageContaining("(hello.c)");
  }

  /**
   * End-of-line conversion makes the working-tree bytes differ from the committed blob while git
   * considers the file clean: the tree is clean, and the archive carries the committed bytes, so
   * the enclave's tree matches.
   */
  @Test
  void pack_cleanTreeWithEndOfLineConversion_carriesTheCommittedBlobs() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("crlf"));
    git(repo, "init", "-q");
    Files.writeString(repo.resolve(".gitattributes"), "*.txt text eol=crlf\n");
    Files.writeString(repo.resolve("notes.txt"), "one\ntwo\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "crlf");
    Files.delete(repo.resolve("notes.txt"));
    git(repo, "checkout", "--", "notes.txt");
    assertThat(Files.readString(repo.resolve("notes.txt"))).isEqualTo("one\r\ntwo\r\n");

    PackedSource packed = SourcePacker.pack(selector.select(repo, false, List.of()), tmp);

    assertThat(packed.selection().git().orElseThrow().dirty()).isFalse();
    verifyAsTheEnclaveDoes(packed);
    Path x = Files.createTempDirectory(tmp, "y");
    try (InputStream in = Files.newInputStream(packed.archive())) {
      SourceArchive.extract(in, x, ArchiveLimits.defaults());
    }
    assertThat(Files.readString(x.resolve("notes.txt"))).isEqualTo("one\ntwo\n");
  }

  @Test
  void select_namesGitWouldQuote_areCleanAndVerify() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("names"));
    git(repo, "init", "-q");
    for (String name : List.of("\"quoted\".txt", "ünï cödé.c", "tab\tname", "sp ace")) {
      Files.writeString(repo.resolve(name), name + "\n");
    }
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "names");

    assertThatThrownBy(() -> selector.select(repo, false, List.of()))
        .hasMessageContaining("tab\tname: control character");
    git(repo, "rm", "-q", "tab\tname");
    git(repo, "commit", "-q", "-m", "no tab");

    PackedSource packed = SourcePacker.pack(selector.select(repo, false, List.of()), tmp);
    assertThat(packed.files()).isEqualTo(3);
    verifyAsTheEnclaveDoes(packed);
  }

  @Test
  void select_sha256Repository_isRefusedNamingTheReason() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("sha256"));
    git(repo, "init", "-q", "--object-format=sha256");
    Files.writeString(repo.resolve("build.json"), "{}");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "first");

    assertThatThrownBy(() -> selector.select(repo, false, List.of()))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("sha256 object format")
        .hasMessageContaining("only SHA-1 repositories can be built");
  }

  @Test
  void select_submodule_isRefusedNamingIt() throws Exception {
    Path repo = repo();
    git(repo, "update-index", "--add", "--cacheinfo", "160000," + "ab".repeat(20) + ",vendor/lib");
    git(repo, "commit", "-q", "-m", "submodule");

    assertThatThrownBy(() -> selector.select(repo, false, List.of()))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("vendor/lib is a git submodule");
  }
}
