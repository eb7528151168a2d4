package dev.teec.enclave.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.runner.ArchiveLimits;
import dev.teec.enclave.runner.SourceArchive;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each stage of the source claim, with honest evidence from git and with an attacker's. */
class SourceClaimTest {
  @TempDir Path tmp;
  private GitRepo repo;
  private int extractions;

  @BeforeEach
  void repo() throws Exception {
    repo =
        GitRepo.init(tmp.resolve("repo"))
            .write("build.json", "{}\n")
            .write("app/hello.c", "int main(void) { return 0; }\n")
            .write("app/src/util.c", "int util;\n")
            .write("app/src/ünï.h", "#define X 1\n")
            .write("docs/readme", "docs\n");
    Files.setPosixFilePermissions(
        repo.dir().resolve("app/src/util.c"), PosixFilePermissions.fromString("rwxr-xr-x"));
    repo.commit("first");
  }

  /** The archive's files through the worker's extraction, observed as the worker observes them. */
  private ReceivedTree received(byte[] archive) throws Exception {
    ReceivedTree received = new ReceivedTree();
    SourceArchive.extract(
        new ByteArrayInputStream(archive),
        tmp.resolve("x" + extractions++),
        ArchiveLimits.defaults(),
        received);
    return received;
  }

  private void verify(SourceClaim claim, List<byte[]> trees, byte[] archive) throws Exception {
    claim.verifyCommit().verifyTrees(trees).verifyArchive(received(archive));
  }

  private static void assertRefused(ThrowingRunnable action, String check, String detail) {
    assertThatThrownBy(action::run)
        .isInstanceOfSatisfying(
            SourceClaimException.class, e -> assertThat(e.check()).isEqualTo(check))
        .hasMessageStartingWith(check + ": ")
        .hasMessageContaining(detail);
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void verify_honestClaims_forTheTopAndForASubdirectory_hold() throws Exception {
    verify(repo.claim(""), repo.treeObjects(""), repo.archive(""));
    verify(repo.claim("app"), repo.treeObjects("app"), repo.archive("app"));
    verify(repo.claim("app/src"), repo.treeObjects("app/src"), repo.archive("app/src"));
  }

  @Test
  void receivedTree_ofTheWorkingTreesArchive_isHeadsTree() throws Exception {
    ReceivedTree received = received(repo.archive("app"));
    assertThat(received.trees().get("").id()).isEqualTo(repo.git("rev-parse", "HEAD:app"));
    assertThat(received.trees().get("src").id()).isEqualTo(repo.git("rev-parse", "HEAD:app/src"));
  }

  @Test
  void verifyCommit_commitObjectOfAnotherCommit_isCommitId() throws Exception {
    SourceClaim honest = repo.claim("");
    String first = honest.commit();
    repo.write("app/hello.c", "int main(void) { return 66; }\n").commit("trojan");
    SourceClaim lying =
        new SourceClaim(
            first,
            repo.object("commit", "HEAD"),
            "",
            repo.git("rev-parse", "HEAD^{tree}"),
            honest.commitTime());
    assertRefused(lying::verifyCommit, SourceClaimException.COMMIT_ID, "not to the claimed commit");
  }

  @Test
  void verifyCommit_editedCommitObject_isCommitId() throws Exception {
    SourceClaim honest = repo.claim("");
    byte[] edited =
        new String(honest.commitObject(), StandardCharsets.UTF_8)
            .replace(repo.git("rev-parse", "HEAD^{tree}"), "12".repeat(20))
            .getBytes(StandardCharsets.UTF_8);
    SourceClaim lying =
        new SourceClaim(honest.commit(), edited, "", honest.tree(), honest.commitTime());
    assertRefused(lying::verifyCommit, SourceClaimException.COMMIT_ID, "hashes to");
  }

  @Test
  void verifyCommit_otherCommitTime_isCommitTime() throws Exception {
    SourceClaim h = repo.claim("");
    SourceClaim lying = new SourceClaim(h.commit(), h.commitObject(), "", h.tree(), 1L);
    assertRefused(lying::verifyCommit, SourceClaimException.COMMIT_TIME, "1700000000");
  }

  @Test
  void verifyCommit_sha256Ids_isObjectFormat() throws Exception {
    SourceClaim h = repo.claim("");
    SourceClaim sha256 =
        new SourceClaim("ab".repeat(32), h.commitObject(), "", "cd".repeat(32), null);
    assertRefused(sha256::verifyCommit, SourceClaimException.OBJECT_FORMAT, "SHA-256");
  }

  @Test
  void verifyCommit_malformedPath_isPath() throws Exception {
    SourceClaim h = repo.claim("");
    SourceClaim bad = new SourceClaim(h.commit(), h.commitObject(), "app/../docs", h.tree(), null);
    assertRefused(bad::verifyCommit, SourceClaimException.PATH, "not a directory path");
  }

  @Test
  void verifyTrees_treeOfAnotherDirectory_isCommitTree() throws Exception {
    SourceClaim h = repo.claim("app");
    // Claims "app" but gives docs' tree: the tree must be the one at the claimed path.
    SourceClaim lying =
        new SourceClaim(
            h.commit(), h.commitObject(), "app", repo.git("rev-parse", "HEAD:docs"), null);
    assertRefused(
        () -> lying.verifyCommit().verifyTrees(repo.treeObjects("app")),
        SourceClaimException.COMMIT_TREE,
        "directory \"app\" of commit");
  }

  @Test
  void verifyTrees_pathThatIsAFile_isPath() throws Exception {
    SourceClaim h = repo.claim("");
    SourceClaim lying =
        new SourceClaim(
            h.commit(), h.commitObject(), "build.json", repo.git("rev-parse", "HEAD:app"), null);
    assertRefused(
        () -> lying.verifyCommit().verifyTrees(repo.treeObjects("")),
        SourceClaimException.PATH,
        "has no directory \"build.json\"");
  }

  @Test
  void verifyTrees_missingSubtree_isTreeObjects() throws Exception {
    List<byte[]> trees = new ArrayList<>(repo.treeObjects(""));
    byte[] src = repo.object("tree", repo.git("rev-parse", "HEAD:app/src"));
    trees.removeIf(t -> java.util.Arrays.equals(t, src));
    assertRefused(
        () -> repo.claim("").verifyCommit().verifyTrees(trees),
        SourceClaimException.TREE_OBJECTS,
        "of directory \"app/src\" of commit");
  }

  @Test
  void verifyTrees_missingTreeOnThePath_isTreeObjects() throws Exception {
    List<byte[]> trees = new ArrayList<>(repo.treeObjects("app"));
    trees.remove(0); // the root tree
    assertRefused(
        () -> repo.claim("app").verifyCommit().verifyTrees(trees),
        SourceClaimException.TREE_OBJECTS,
        "of the root directory");
  }

  @Test
  void verifyTrees_extraOrRepeatedOrBrokenObjects_areTreeObjects() throws Exception {
    List<byte[]> extra = new ArrayList<>(repo.treeObjects("app"));
    extra.add(repo.object("tree", repo.git("rev-parse", "HEAD:docs")));
    assertRefused(
        () -> repo.claim("app").verifyCommit().verifyTrees(extra),
        SourceClaimException.TREE_OBJECTS,
        "neither on the path");
    List<byte[]> twice = new ArrayList<>(repo.treeObjects(""));
    twice.add(twice.get(1));
    assertRefused(
        () -> repo.claim("").verifyCommit().verifyTrees(twice),
        SourceClaimException.TREE_OBJECTS,
        "sent twice");
    List<byte[]> broken = new ArrayList<>(repo.treeObjects(""));
    broken.add("garbage".getBytes(StandardCharsets.UTF_8));
    assertRefused(
        () -> repo.claim("").verifyCommit().verifyTrees(broken),
        SourceClaimException.TREE_OBJECTS,
        "malformed");
  }

  @Test
  void verifyTrees_submoduleOrSymlink_areRefusedByName() throws Exception {
    repo.git("update-index", "--add", "--cacheinfo", "160000," + "ab".repeat(20) + ",app/vendored");
    repo.git("commit", "-q", "-m", "submodule");
    assertRefused(
        () -> repo.claim("app").verifyCommit().verifyTrees(repo.treeObjects("app")),
        SourceClaimException.SUBMODULE,
        "\"app/vendored\" is a submodule");

    repo.git("rm", "-q", "--cached", "app/vendored");
    Files.createSymbolicLink(repo.dir().resolve("app/link"), Path.of("hello.c"));
    repo.commit("symlink");
    assertRefused(
        () -> repo.claim("app").verifyCommit().verifyTrees(repo.treeObjects("app")),
        SourceClaimException.SYMLINK,
        "\"app/link\" is a symbolic link");
  }

  @Test
  void verifyArchive_modifiedFile_isArchiveTreeNamingIt() throws Exception {
    ClaimedTrees claimed = repo.claim("app").verifyCommit().verifyTrees(repo.treeObjects("app"));
    repo.write("app/hello.c", "int main(void) { return 66; }\n");
    assertRefused(
        () -> claimed.verifyArchive(received(repo.archive("app"))),
        SourceClaimException.ARCHIVE_TREE,
        "\"hello.c\" has other content than in the commit");
  }

  @Test
  void verifyArchive_addedOrRemovedFile_isArchiveTreeNamingIt() throws Exception {
    ClaimedTrees claimed = repo.claim("").verifyCommit().verifyTrees(repo.treeObjects(""));
    repo.write("app/src/extra.c", "int extra;\n");
    assertRefused(
        () -> claimed.verifyArchive(received(repo.archive(""))),
        SourceClaimException.ARCHIVE_TREE,
        "\"app/src/extra.c\" is in the archive but not in the commit");
    Files.delete(repo.dir().resolve("app/src/extra.c"));
    Files.delete(repo.dir().resolve("docs/readme"));
    assertRefused(
        () -> claimed.verifyArchive(received(repo.archive(""))),
        SourceClaimException.ARCHIVE_TREE,
        "\"docs\" is in the commit but not in the archive");
  }

  @Test
  void verifyArchive_executableBitChanged_isArchiveTreeNamingTheMode() throws Exception {
    ClaimedTrees claimed = repo.claim("app").verifyCommit().verifyTrees(repo.treeObjects("app"));
    Files.setPosixFilePermissions(
        repo.dir().resolve("app/src/util.c"), PosixFilePermissions.fromString("rw-r--r--"));
    assertRefused(
        () -> claimed.verifyArchive(received(repo.archive("app"))),
        SourceClaimException.ARCHIVE_TREE,
        "\"src/util.c\" has mode 100644 in the archive, 100755 in the commit");
  }

  @Test
  void verifyArchive_emptyDirectory_isArchiveTree() throws Exception {
    ClaimedTrees claimed = repo.claim("").verifyCommit().verifyTrees(repo.treeObjects(""));
    // The files are right, plus an explicit directory entry that no git tree can hold.
    byte[] files = repo.archive("");
    byte[] withDir = TarWithDirectory.append(files, "empty/");
    assertRefused(
        () -> claimed.verifyArchive(received(withDir)),
        SourceClaimException.ARCHIVE_TREE,
        "empty directory \"empty\"");
  }
}
