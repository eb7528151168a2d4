package dev.teec.cli.challenge;

import dev.teec.enclave.runner.SourceArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The files of a git work tree that git tracks (below the directory), as they are in the work tree;
 * for a directory outside any git work tree, every regular file below it
 * ({@link SourceArchive#listFiles}). Tracked files deleted from the work tree and submodule
 * entries are skipped: the archive carries regular files only.
 */
final class GitOrTreeSelection implements SourceSelection {

  @Override
  public List<Path> select(Path dir) throws IOException {
    if (!isGitWorkTree(dir)) {
      return SourceArchive.listFiles(dir);
    }
    byte[] listing = git(dir, "ls-files", "-z", "--cached", "--", ".");
    List<Path> files = new ArrayList<>();
    for (String name : new String(listing, StandardCharsets.UTF_8).split("\0")) {
      if (!name.isEmpty() && Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        files.add(Path.of(name));
      }
    }
    return files;
  }

  @Override
  public String describe(Path dir) {
    return isGitWorkTree(dir) ? "the git-tracked files" : "every file";
  }

  private static boolean isGitWorkTree(Path dir) {
    try {
      return new String(git(dir, "rev-parse", "--is-inside-work-tree"), StandardCharsets.UTF_8).trim().equals("true");
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] git(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("git " + String.join(" ", args) + " timed out");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running git", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("git " + String.join(" ", args) + " exited with " + p.exitValue());
    }
    return out;
  }
}
