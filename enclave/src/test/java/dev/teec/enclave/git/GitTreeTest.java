package dev.teec.enclave.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitTreeTest {
  @TempDir Path tmp;

  /** Names whose order differs between plain byte order and git's (directories sort with '/'). */
  private GitRepo tricky() throws Exception {
    GitRepo repo =
        GitRepo.init(tmp.resolve("repo"))
            .write("a0", "file a0\n")
            .write("a-b", "file a-b\n")
            .write("a.c", "")
            .write("a/x", "in dir a\n")
            .write("ab/y", "in dir ab\n")
            .write("ünï cödé.txt", "non-ASCII name\n")
            .write("deep/er/still/file", "deep\n");
    Files.setPosixFilePermissions(
        repo.dir().resolve("a.c"), PosixFilePermissions.fromString("rwxr-xr-x"));
    repo.commit("tricky names");
    return repo;
  }

  @Test
  void parse_treesGitWrote_reencodeToTheSameBytesAndId() throws Exception {
    GitRepo repo = tricky();
    for (String dir : List.of("", "a", "deep/er")) {
      String id = repo.git("rev-parse", "HEAD:" + dir);
      byte[] content = repo.object("tree", id);
      GitTree tree = GitTree.parse(content);
      assertThat(tree.encode()).isEqualTo(content);
      assertThat(tree.id()).isEqualTo(id);
    }
    GitTree root = GitTree.parse(repo.object("tree", repo.git("rev-parse", "HEAD^{tree}")));
    assertThat(root.entries())
        .extracting(TreeEntry::name)
        .containsExactly("a-b", "a.c", "a", "a0", "ab", "deep", "ünï cödé.txt");
    assertThat(root.entry("a.c").mode()).isEqualTo(EntryMode.EXECUTABLE);
  }

  @Test
  void of_unsortedEntries_sortsAsGitDoes() throws Exception {
    GitRepo repo = tricky();
    GitTree root = GitTree.parse(repo.object("tree", repo.git("rev-parse", "HEAD^{tree}")));
    List<TreeEntry> reversed = new java.util.ArrayList<>(root.entries());
    java.util.Collections.reverse(reversed);
    assertThat(GitTree.of(reversed).id()).isEqualTo(root.id());
  }

  @Test
  void id_ofObjects_matchesGitHashObject() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("r"));
    byte[] blob = "hello\r\nworld\n".getBytes(StandardCharsets.UTF_8);
    assertThat(GitObjects.id("blob", blob))
        .isEqualTo(
            new String(
                    repo.raw(blob, "hash-object", "--stdin", "--no-filters"),
                    StandardCharsets.UTF_8)
                .strip());
    assertThat(GitObjects.id("blob", new byte[0]))
        .isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    assertThat(GitObjects.id("tree", new byte[0]))
        .isEqualTo("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
  }

  @Test
  void parse_nonCanonicalOrBrokenTrees_areRefused() {
    String id = "00".repeat(20);
    assertThatThrownBy(() -> GitTree.parse(entry("100664", "a", id)))
        .isInstanceOf(GitFormatException.class)
        .hasMessageContaining("100664");
    assertThatThrownBy(() -> GitTree.parse(entry("040000", "d", id)))
        .hasMessageContaining("040000");
    assertThatThrownBy(
            () -> GitTree.parse(concat(entry("100644", "b", id), entry("100644", "a", id))))
        .hasMessageContaining("out of git's order");
    assertThatThrownBy(
            () -> GitTree.parse(concat(entry("100644", "a", id), entry("40000", "a", id))))
        .hasMessageContaining("two entries named \"a\"");
    assertThatThrownBy(() -> GitTree.parse(entry("100644", "..", id)))
        .hasMessageContaining("\"..\"");
    assertThatThrownBy(() -> GitTree.parse(entry("100644", "", id))).hasMessageContaining("empty");
    byte[] whole = entry("100644", "a", id);
    assertThatThrownBy(() -> GitTree.parse(java.util.Arrays.copyOf(whole, whole.length - 1)))
        .hasMessageContaining("truncated");
    byte[] latin1 =
        concat("100644 ".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xe9, 0});
    assertThatThrownBy(() -> GitTree.parse(concat(latin1, HexFormat.of().parseHex(id))))
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void parse_commitsGitWrote_treeAndCommitterTime() throws Exception {
    GitRepo repo = tricky();
    String commit = repo.git("rev-parse", "HEAD");
    repo.write("more", "x").commit("second");
    String second = repo.git("rev-parse", "HEAD");
    byte[] content = repo.object("commit", second);

    assertThat(GitObjects.id("commit", content)).isEqualTo(second);
    GitCommit parsed = GitCommit.parse(content);
    assertThat(parsed.tree()).isEqualTo(repo.git("rev-parse", "HEAD^{tree}"));
    assertThat(parsed.committerTime()).isEqualTo(1_700_000_000L);
    assertThat(new String(content, StandardCharsets.UTF_8)).contains("parent " + commit);
  }

  @Test
  void parse_commitWithSignatureAndTwoParents_isRead() throws Exception {
    String tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    String text =
        "tree "
            + tree
            + "\nparent "
            + "11".repeat(20)
            + "\nparent "
            + "22".repeat(20)
            + "\nauthor A U Thor <a@example.org> 1600000000 -0700"
            + "\ncommitter C O Mitter <c@example.org> 1600000123 +0530"
            + "\nencoding ISO-8859-1"
            + "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQ==\n -----END PGP SIGNATURE-----"
            + "\n\nmerge\n";
    GitCommit parsed = GitCommit.parse(text.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed).isEqualTo(new GitCommit(tree, 1_600_000_123L));
  }

  @Test
  void parse_malformedCommits_areRefusedNamingTheLine() {
    String tree = "tree " + "ab".repeat(20) + "\n";
    String people = "author a <a> 1 +0000\ncommitter c <c> 2 +0000\n\nm";
    assertThatThrownBy(() -> commit("parent " + "ab".repeat(20) + "\n" + tree + people))
        .hasMessageContaining("first line");
    assertThatThrownBy(() -> commit("tree " + "ab".repeat(32) + "\n" + people))
        .hasMessageContaining("first line");
    assertThatThrownBy(() -> commit(tree + "committer c <c> 2 +0000\n\nm"))
        .hasMessageContaining("author");
    assertThatThrownBy(() -> commit(tree + "author a <a> 1 +0000\n\nm"))
        .hasMessageContaining("committer");
    assertThatThrownBy(() -> commit(tree + "author a <a> 1 +0000\ncommitter c <c> soon +0000\n"))
        .hasMessageContaining("committer line must end");
    assertThatThrownBy(() -> commit(tree + "parent xyz\n" + people))
        .hasMessageContaining("parent line");
    assertThatThrownBy(() -> commit("")).hasMessageContaining("before the tree line");
  }

  private static GitCommit commit(String text) throws GitFormatException {
    return GitCommit.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] entry(String mode, String name, String id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((mode + " " + name).getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(HexFormat.of().parseHex(id));
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
