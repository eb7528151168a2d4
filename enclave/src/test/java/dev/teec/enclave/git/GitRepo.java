package dev.teec.enclave.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.enclave.runner.SourceArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real git repository for tests, asked with the git command line: the oracle for object ids,
 * trees and commits that teec's own code must agree with.
 */
public final class GitRepo {
  private final Path dir;

  private GitRepo(Path dir) {
    this.dir = dir;
  }

  /** A new repository (SHA-1) in {@code dir}. */
  public static GitRepo init(Path dir) throws Exception {
    Files.createDirectories(dir);
    GitRepo repo = new GitRepo(dir);
    repo.git("init", "-q");
    return repo;
  }

  public Path dir() {
    return dir;
  }

  /** Writes {@code rel} (creating directories) with {@code content}. */
  public GitRepo write(String rel, String content) throws IOException {
    Path file = dir.resolve(rel);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return this;
  }

  /** Adds everything and commits; returns the commit id. */
  public String commit(String message) throws Exception {
    git("add", "-A");
    git("commit", "-q", "-m", message);
    return git("rev-parse", "HEAD");
  }

  /** Runs git in the repository; stdout without the final newline. */
  public String git(String... args) throws Exception {
    return new String(raw(null, args), StandardCharsets.UTF_8).strip();
  }

  /** Runs git with {@code stdin}; stdout as bytes. */
  public byte[] raw(byte[] stdin, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "git",
                "-C",
                dir.toString(),
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.org",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "core.quotepath=off"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("GIT_COMMITTER_DATE", "1700000000 +0100");
    pb.environment().put("GIT_AUTHOR_DATE", "1700000000 +0100");
    Process p = pb.start();
    if (stdin != null) {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin);
      }
    } else {
      p.getOutputStream().close();
    }
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("git " + String.join(" ", args) + ": " + err).isZero();
    return out;
  }

  /** The content of object {@code id} of {@code type}, as git stores it. */
  public byte[] object(String type, String id) throws Exception {
    return raw(null, "cat-file", type, id);
  }

  /**
   * The claim that the working tree's directory {@code path} ({@code ""} for the top) is HEAD's.
   */
  public SourceClaim claim(String path) throws Exception {
    String commit = git("rev-parse", "HEAD");
    return new SourceClaim(
        commit,
        object("commit", commit),
        path,
        git("rev-parse", "HEAD:" + path),
        Long.parseLong(git("log", "-1", "--format=%ct")));
  }

  /**
   * The tree objects a claim for {@code path} needs, found independently of teec's code: the trees
   * of HEAD's root and each directory down to {@code path}, and {@code git ls-tree -r -t}'s trees
   * below it.
   */
  public List<byte[]> treeObjects(String path) throws Exception {
    List<String> ids = new ArrayList<>();
    String at = "";
    ids.add(git("rev-parse", "HEAD^{tree}"));
    if (!path.isEmpty()) {
      for (String segment : path.split("/")) {
        at = at.isEmpty() ? segment : at + "/" + segment;
        ids.add(git("rev-parse", "HEAD:" + at));
      }
    }
    for (String line : git("ls-tree", "-r", "-t", "HEAD:" + path).split("\n")) {
      String[] f = line.split("\\s+", 4);
      if (f.length == 4 && f[1].equals("tree") && !ids.contains(f[2])) {
        ids.add(f[2]);
      }
    }
    List<byte[]> objects = new ArrayList<>();
    for (String id : ids) {
      objects.add(object("tree", id));
    }
    return objects;
  }

  /** The source archive of the working tree's directory {@code path}, written as clients do. */
  public byte[] archive(String path) throws IOException {
    Path d = path.isEmpty() ? dir : dir.resolve(path);
    List<Path> files = new ArrayList<>();
    for (Path f : SourceArchive.listFiles(d)) {
      if (!f.startsWith(".git")) {
        files.add(f);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SourceArchive.write(d, files, out);
    return out.toByteArray();
  }
}
